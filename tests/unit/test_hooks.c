/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hooks: state JSON, stdin, args/env, failures, timeout, fds and children left behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hooks/hooks.h"
#include "util/cleanup.h"
#include "tap.h"

extern char **environ;

static char self_exe[PATH_MAX];
static char tmpdir[] = "/tmp/hull-test-hooks-XXXXXX";
static const char *sh_env[] = {"PATH=/usr/bin:/bin", NULL};

static const char *tmp_path(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", tmpdir, name);
	return p;
}

static char *slurp_or_null(const char *path)
{
	return access(path, F_OK) == 0 ? tap_slurp(path, NULL) : NULL;
}

static bool no_children(void)
{
	siginfo_t si;

	errno = 0;
	if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
		return false;
	/* hooks are clone children (no exit signal): only __WALL sees those */
	errno = 0;
	return waitid(P_ALL, 0, &si, WEXITED | WNOHANG | __WALL) == -1 && errno == ECHILD;
}

static int run1(const struct hull_hook *h, const char *json, struct hull_error *err)
{
	struct hull_hooks hs = {.v = (struct hull_hook *)h, .n = 1};

	hull_err_clear(err);
	return hooks_run(HULL_HOOK_CREATE_RUNTIME, &hs, json, err);
}

static struct hull_hook sh_hook(const char **args)
{
	return (struct hull_hook){.path = "/bin/sh", .args = args, .env = sh_env};
}

#define CHECK_HAS(hay, needle)                                                                     \
	do {                                                                                       \
		const char *_h = (hay), *_n = (needle);                                            \
		if (!_h || !strstr(_h, _n))                                                        \
			tap_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"",             \
			         _h ? _h : "(null)", _n);                                          \
	} while (0)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- hooks_state_json ---- */

static void state_json_shape(void)
{
	struct hull_kv ann[] = {{"a", "1"}, {"quote\"key", "line\nvalue"}};
	struct hull_hook_state st = {.id = "c1",
	                             .status = "created",
	                             .pid = 4242,
	                             .bundle = "/b/dir",
	                             .annotations = ann,
	                             .n_annotations = 2};
	struct hull_error err = {0};
	char *text = NULL;
	json_error_t jerr;

	REQUIRE(hooks_state_json(&st, &text, &err) == 0);
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	REQUIRE(j);
	CHECK_INT(json_object_size(j), 6);
	CHECK_STR(json_string_value(json_object_get(j, "ociVersion")), "1.3.0");
	CHECK_STR(json_string_value(json_object_get(j, "id")), "c1");
	CHECK_STR(json_string_value(json_object_get(j, "status")), "created");
	CHECK_INT(json_integer_value(json_object_get(j, "pid")), 4242);
	CHECK_STR(json_string_value(json_object_get(j, "bundle")), "/b/dir");
	json_t *a = json_object_get(j, "annotations");
	CHECK_INT(json_object_size(a), 2);
	CHECK_STR(json_string_value(json_object_get(a, "a")), "1");
	CHECK_STR(json_string_value(json_object_get(a, "quote\"key")), "line\nvalue");
	CHECK(strncmp(text, "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\"", 31) == 0);
	json_decref(j);
	free(text);

	/* stopped: no pid; no annotations: no key */
	st.pid = 0;
	st.status = "stopped";
	st.n_annotations = 0;
	REQUIRE(hooks_state_json(&st, &text, &err) == 0);
	j = json_loads(text, 0, &jerr);
	REQUIRE(j);
	CHECK_INT(json_object_size(j), 4);
	CHECK(!json_object_get(j, "pid"));
	CHECK(!json_object_get(j, "annotations"));
	CHECK_STR(json_string_value(json_object_get(j, "status")), "stopped");
	json_decref(j);
	free(text);
}

static void state_json_errors(void)
{
	struct hull_kv bad[] = {{"k", "\xff\xfe"}};
	struct hull_hook_state st = {.id = "c1", .status = "created", .bundle = "/b"};
	struct hull_error err = {0};
	char *text = NULL;

	st.id = NULL;
	CHECK_INT(hooks_state_json(&st, &text, &err), -EINVAL);
	st.id = "c1";
	st.annotations = bad;
	st.n_annotations = 1;
	CHECK_INT(hooks_state_json(&st, &text, &err), -EINVAL);
	CHECK_HAS(err.msg, "UTF-8");
	CHECK(text == NULL);
}

/* ---- running hooks ---- */

static void no_hooks(void)
{
	struct hull_hooks none = {0};
	struct hull_error err = {0};

	CHECK_INT(hooks_run(HULL_HOOK_POSTSTOP, &none, "{}", &err), 0);
	CHECK_INT(hooks_run(HULL_HOOK_POSTSTOP, NULL, "{}", &err), 0);
}

static void state_on_stdin(void)
{
	struct hull_hook_state st = {
	    .id = "stdin-test", .status = "creating", .pid = 7, .bundle = "/bundle"};
	const char *out = tmp_path("stdin.json");
	const char *args[] = {"sh", "-c", "cat > \"$1\"", "sh", out, NULL};
	struct hull_hook h = sh_hook(args);
	struct hull_error err = {0};
	char *json = NULL;

	REQUIRE(hooks_state_json(&st, &json, &err) == 0);
	CHECK_INT(run1(&h, json, &err), 0);
	char *got = slurp_or_null(out);
	CHECK_STR(got, json);
	free(got);
	free(json);
}

static void args_env_argv0(void)
{
	const char *out = tmp_path("dump1");
	const char *args[] = {"custom-argv0", "--hook-helper", "dump", out, NULL};
	const char *env[] = {"FOO=bar", "X=1", NULL};
	struct hull_hook h = {.path = self_exe, .args = args, .env = env};
	struct hull_error err = {0};

	CHECK_INT(run1(&h, "{}", &err), 0);
	char *got = slurp_or_null(out);
	CHECK_HAS(got, "arg custom-argv0\narg --hook-helper\narg dump\n");
	CHECK_HAS(got, "env FOO=bar\nenv X=1\nend-env\n");
	free(got);
}

static void default_args_empty_env(void)
{
	const char *out = tmp_path("dump2");
	const char *args[] = {NULL};
	struct hull_hook h = {.path = "/bin/sh", .args = args};
	struct hull_error err = {0};
	char script[PATH_MAX + 64];

	/* args NULL/empty: argv = {path}; env NULL: empty environment. The shell reads the
	 * script from stdin. */
	snprintf(script, sizeof(script), "echo \"$0|${FOO-unset}|${HOME-unset}\" > %s\n", out);
	setenv("FOO", "leak", 1);
	CHECK_INT(run1(&h, script, &err), 0);
	unsetenv("FOO");
	char *got = slurp_or_null(out);
	CHECK_STR(got, "/bin/sh|unset|unset\n");
	free(got);
}

/* Caller with every signal blocked and some ignored: the hook gets neither, nor our fds. */
static void clean_process(void)
{
	const char *out = tmp_path("dump3");
	const char *args[] = {"helper", "--hook-helper", "dump", out, NULL};
	struct hull_hook h = {.path = self_exe, .args = args};
	struct hull_error err = {0};
	sigset_t all, old;
	int extra = open("/dev/null", O_RDONLY); /* not CLOEXEC: must not reach the hook */

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	CHECK_INT(run1(&h, "{}", &err), 0);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(extra);
	char *got = slurp_or_null(out);
	CHECK_HAS(got, "fds 0 1 2\n");
	CHECK_HAS(got, "SigBlk:\t0000000000000000\n");
	CHECK_HAS(got, "SigIgn:\t0000000000000000\n");
	free(got);
}

static void nonzero_exit(void)
{
	const char *args[] = {"sh", "-c",
	                      "echo first-line >&2; echo 'oops on\nstderr' >&2; "
	                      "echo out-text; exit 3",
	                      NULL};
	struct hull_hook h = sh_hook(args);
	struct hull_error err = {0};

	CHECK_INT(run1(&h, "{}", &err), -ECANCELED);
	CHECK_HAS(err.msg, "createRuntime hook #0 (/bin/sh): exited with status 3");
	CHECK_HAS(err.msg, "; stderr: first-line oops on stderr; stdout: out-text");
}

static void killed_by_signal(void)
{
	const char *args[] = {"sh", "-c", "kill -KILL $$", NULL};
	struct hull_hook h = sh_hook(args);
	struct hull_error err = {0};

	CHECK_INT(run1(&h, "{}", &err), -ECANCELED);
	CHECK_HAS(err.msg, "hook #0 (/bin/sh): killed by signal 9 (SIGKILL)");
}

static void timeout_kills(void)
{
	const char *pidfile = tmp_path("sleep.pid");
	const char *args[] = {"sh", "-c", "echo $$ > \"$1\"; exec sleep 10", "sh", pidfile, NULL};
	struct hull_hook h = sh_hook(args);
	struct hull_error err = {0};

	h.has_timeout = true;
	h.timeout = 1;
	double t0 = now_s();
	CHECK_INT(run1(&h, "{}", &err), -ETIMEDOUT);
	double dt = now_s() - t0;
	CHECK(dt > 0.9 && dt < 3);
	CHECK_HAS(err.msg, "createRuntime hook #0 (/bin/sh): timeout of 1 s expired");
	char *got = slurp_or_null(pidfile);
	REQUIRE(got);
	pid_t pid = (pid_t)atoi(got);
	free(got);
	CHECK(pid > 0);
	errno = 0;
	CHECK(kill(pid, 0) == -1 && errno == ESRCH);
}

static void exec_failure(void)
{
	struct hull_hook h = {.path = "/nonexistent/hook"};
	struct hull_error err = {0};

	CHECK_INT(run1(&h, "{}", &err), -ENOENT);
	CHECK_STR(err.msg,
	          "createRuntime hook #0 (/nonexistent/hook): execve: No such file or directory");

	const char *file = tmp_path("not-executable");
	close(open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	h.path = file;
	CHECK_INT(run1(&h, "{}", &err), -EACCES);
	CHECK_HAS(err.msg, "execve: Permission denied");

	h.path = "bin/true";
	CHECK_INT(run1(&h, "{}", &err), -EINVAL);
	CHECK_HAS(err.msg, "hook #0 (bin/true): path must be absolute");
}

static char *big_state(size_t min_len)
{
	size_t n = min_len / 1024 + 1;
	struct hull_kv *ann = calloc(n, sizeof(*ann));
	char *val = malloc(1025), *json = NULL;
	struct hull_error err = {0};

	memset(val, 'v', 1024);
	val[1024] = '\0';
	for (size_t i = 0; i < n; i++) {
		char *k = malloc(32);
		snprintf(k, 32, "key%zu", i);
		ann[i] = (struct hull_kv){k, val};
	}
	struct hull_hook_state st = {.id = "big",
	                             .status = "creating",
	                             .pid = 1,
	                             .bundle = "/b",
	                             .annotations = ann,
	                             .n_annotations = n};
	if (hooks_state_json(&st, &json, &err) < 0)
		json = NULL;
	for (size_t i = 0; i < n; i++)
		free((char *)ann[i].key);
	free(ann);
	free(val);
	return json;
}

/* A hook that exits without reading a state larger than a pipe; SIGPIPE left at its
 * default disposition, unblocked: raising it would kill this test. */
static void large_state_unread(void)
{
	char *json = big_state(256 * 1024);
	struct hull_hook h = {.path = "/bin/true"};
	const char *args[] = {"sh", "-c", "head -c 10 > /dev/null", NULL};
	struct hull_hook partial = sh_hook(args);
	struct hull_error err = {0};
	sigset_t pending;

	REQUIRE(json && strlen(json) > 256 * 1024);
	CHECK_INT(run1(&h, json, &err), 0);
	CHECK_INT(run1(&partial, json, &err), 0);
	sigpending(&pending);
	CHECK(!sigismember(&pending, SIGPIPE));
	free(json);
}

/* Big state in, a lot of output out before the hook reads stdin: both directions at once. */
static void large_state_and_output(void)
{
	char *json = big_state(200 * 1024);
	const char *out = tmp_path("count");
	const char *args[] = {
	    "sh",
	    "-c",
	    "head -c 1000000 /dev/zero | tr '\\0' a; echo END-OUT; i=0; while [ $i -lt 3000 ]; do "
	    "echo err-line-$i >&2; i=$((i+1)); done; wc -c > \"$1\"; exit 1",
	    "sh",
	    out,
	    NULL};
	struct hull_hook h = sh_hook(args);
	struct hull_error err = {0};
	char want[32];

	REQUIRE(json);
	h.has_timeout = true;
	h.timeout = 20;
	CHECK_INT(run1(&h, json, &err), -ECANCELED);
	/* the tail of stderr, cut at the front */
	CHECK_HAS(err.msg, "; stderr: ...");
	CHECK_HAS(err.msg, "err-line-2999; stdout: ...aaa");
	CHECK_HAS(err.msg, "aaaEND-OUT");
	CHECK(!strstr(err.msg, "err-line-1 "));
	char *got = slurp_or_null(out);
	snprintf(want, sizeof(want), "%zu\n", strlen(json));
	CHECK_STR(got, want);
	free(got);
	free(json);
}

/* Output still in the pipe when the hook exits is read to the end. */
static void burst_before_exit(void)
{
	const char *args[] = {"helper", "--hook-helper", "burst", NULL};
	struct hull_hook h = {.path = self_exe, .args = args};
	struct hull_error err = {0};

	CHECK_INT(run1(&h, "{}", &err), -ECANCELED);
	CHECK_HAS(err.msg, "exited with status 1; stderr: ...xxxxxxxx");
	CHECK_HAS(err.msg, "xxxxBURST-END");
}

static void order_and_stop(void)
{
	const char *log = tmp_path("order");
	const char *a1[] = {"sh", "-c", "printf 1 >> \"$1\"", "sh", log, NULL};
	const char *a2[] = {"sh", "-c", "printf 2 >> \"$1\"", "sh", log, NULL};
	const char *a3[] = {"sh", "-c", "printf 3 >> \"$1\"; exit 1", "sh", log, NULL};
	struct hull_hook ok3[] = {sh_hook(a1), sh_hook(a2), sh_hook(a1)};
	struct hull_hook fail[] = {sh_hook(a1), sh_hook(a3), sh_hook(a2)};
	struct hull_hooks hs = {.v = ok3, .n = 3};
	struct hull_error err = {0};

	CHECK_INT(hooks_run(HULL_HOOK_POSTSTART, &hs, "{}", &err), 0);
	char *got = slurp_or_null(log);
	CHECK_STR(got, "121");
	free(got);
	unlink(log);
	hs.v = fail;
	CHECK_INT(hooks_run(HULL_HOOK_POSTSTART, &hs, "{}", &err), -ECANCELED);
	CHECK_HAS(err.msg, "poststart hook #1 (/bin/sh): exited with status 1");
	got = slurp_or_null(log);
	CHECK_STR(got, "13");
	free(got);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* Signals with handlers (no SA_RESTART) arriving all along: EINTR everywhere. */
static void eintr(void)
{
	const char *out = tmp_path("eintr.json");
	const char *args[] = {"sh", "-c", "sleep 0.3; cat > \"$1\"", "sh", out, NULL};
	struct hull_hook h = sh_hook(args);
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	struct itimerval it = {{0, 5000}, {0, 5000}}, off = {0};
	struct hull_error err = {0};
	char *json = big_state(100 * 1024);

	REQUIRE(json);
	sigaction(SIGALRM, &sa, &old);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_INT(run1(&h, json, &err), 0);
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	CHECK(alarms > 10);
	char *got = slurp_or_null(out);
	CHECK(got && strcmp(got, json) == 0);
	free(got);
	free(json);
}

static void no_leaks(void)
{
	const char *fail_args[] = {"sh", "-c", "echo x >&2; exit 2", NULL};
	struct hull_hook hooks[] = {{.path = "/bin/true"}, sh_hook(fail_args), {.path = "/nope"}};
	struct hull_error err = {0};
	int before = tap_count_fds();

	for (size_t i = 0; i < ARRAY_SIZE(hooks); i++)
		run1(&hooks[i], "{}", &err);
	CHECK(before > 0);
	CHECK_INT(tap_count_fds(), before);
	CHECK(no_children());
}

/* ---- the hook side: this binary run as a hook ---- */

static void dump_status(FILE *f)
{
	FILE *st = fopen("/proc/self/status", "r");
	char line[256];

	while (st && fgets(line, sizeof(line), st))
		if (!strncmp(line, "SigBlk:", 7) || !strncmp(line, "SigIgn:", 7))
			fputs(line, f);
	if (st)
		fclose(st);
}

static void helper_burst(void)
{
	static char buf[60000];

	memset(buf, 'x', sizeof(buf));
	/* More than a pipe holds: the pipe is full when the hook exits. */
	for (int i = 0; i < 10; i++)
		if (write(2, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			_exit(99);
	if (write(2, "BURST-END", 9) != 9)
		_exit(99);
	_exit(1);
}

static int helper(int argc, char **argv)
{
	FILE *f = argc >= 4 && !strcmp(argv[2], "dump") ? fopen(argv[3], "w") : NULL;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[64], n = 0;

	if (argc >= 3 && !strcmp(argv[2], "burst"))
		helper_burst();
	if (!f || !d)
		_exit(99);
	for (int i = 0; i < argc; i++)
		fprintf(f, "arg %s\n", argv[i]);
	for (char **e = environ; *e; e++)
		fprintf(f, "env %s\n", *e);
	fputs("end-env\nfds", f);
	while ((de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d) &&
		    atoi(de->d_name) != fileno(f))
			fds[n++] = atoi(de->d_name);
	for (int i = 0; i < n; i++) /* readdir order is ascending for /proc/self/fd */
		fprintf(f, " %d", fds[i]);
	fputc('\n', f);
	dump_status(f);
	fclose(f);
	_exit(0);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--hook-helper"))
		return helper(argc, argv);
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0 || !mkdtemp(tmpdir)) {
		fprintf(stderr, "# setup failed\n");
		return 2;
	}
	self_exe[n] = '\0';
	int fds0 = tap_count_fds();

	RUN(state_json_shape);
	RUN(state_json_errors);
	RUN(no_hooks);
	RUN(state_on_stdin);
	RUN(args_env_argv0);
	RUN(default_args_empty_env);
	RUN(clean_process);
	RUN(nonzero_exit);
	RUN(killed_by_signal);
	RUN(timeout_kills);
	RUN(exec_failure);
	RUN(large_state_unread);
	RUN(large_state_and_output);
	RUN(burst_before_exit);
	RUN(order_and_stop);
	RUN(eintr);
	RUN(no_leaks);

	CHECK_INT(tap_count_fds(), fds0);
	CHECK(no_children());
	tap_result("nothing_left_behind");

	tap_rm_rf(tmpdir);
	return tap_done();
}
