/* SPDX-License-Identifier: Apache-2.0 */
/*
 * swapper A B: exchange the directory entries A and B (renameat2
 * RENAME_EXCHANGE) in a tight loop until killed: stands in for a container
 * racing the runtime's path resolution (CVE-2021-30465).
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: swapper A B\n");
		return 2;
	}
	for (unsigned long n = 0;; n++)
		if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) <
		    0) {
			perror("swapper: renameat2");
			return 1;
		}
}
