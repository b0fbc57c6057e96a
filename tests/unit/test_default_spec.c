/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `hull spec` output, byte for byte: runc 1.1's `runc spec` layout (tabs, Go's
 * key order, no trailing newline), ociVersion 1.3.0 and hostname "hull". The
 * fixtures were generated independently (Python's json.dumps(indent="\t")
 * matches Go's json.MarshalIndent for these values).
 */
#include "spec/spec.h"
#include "tap.h"

static void compare(const char *fixture, char *text)
{
	char path[4096];
	char *want;
	size_t i = 0;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, fixture);
	want = tap_slurp(path, NULL);
	REQUIRE(text);
	while (want[i] && want[i] == text[i])
		i++;
	if (want[i] || text[i])
		fprintf(stderr, "# first difference at byte %zu: \"%.40s\" vs \"%.40s\"\n", i,
		        text + i, want + i);
	CHECK(want[i] == text[i]);
	free(want);
	free(text);
}

static void test_default(void)
{
	compare("default.json", hull_spec_default_json(false, 1000, 1001));
}

static void test_default_rootless(void)
{
	compare("default-rootless.json", hull_spec_default_json(true, 1000, 1001));
}

int main(void)
{
	RUN(test_default);
	RUN(test_default_rootless);
	return tap_done();
}
