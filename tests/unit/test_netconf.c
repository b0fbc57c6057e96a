/* SPDX-License-Identifier: Apache-2.0 */
/* Named networks: names, subnets, bridge names, the store (create, overlap,
 * remove with leases, list) and the JSON form. A temporary netroot. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/ipam.h"
#include "net/netconf.h"
#include "tap.h"
#include "util/cleanup.h"

static char tmpdir[] = "/tmp/hull-test-netconf-XXXXXX";
static char root[PATH_MAX];
static int root_seq;

/* A fresh, empty netroot per case (a subdirectory that does not exist yet:
 * the store must create it). */
static const char *new_root(void)
{
	snprintf(root, sizeof(root), "%s/root%d/net", tmpdir, ++root_seq);
	return root;
}

static const char *path_in(const char *r, const char *rel)
{
	static char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s/%s", r, rel);
	return buf;
}

static bool exists(const char *fmt, const char *a, const char *b)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), fmt, a, b);
	return access(path, F_OK) == 0;
}

static const char *subnet_str(const struct hull_subnet *s)
{
	static char buf[NETCONF_SUBNET_STRLEN];
	return netconf_subnet_str(s, buf);
}

static const char *addr(struct in_addr a)
{
	static char buf[NETCONF_ADDR_STRLEN];
	return ipam_addr_str(a, buf);
}

static struct in_addr ip(const char *s)
{
	struct in_addr a = {0};
	inet_pton(AF_INET, s, &a);
	return a;
}

static int create(const char *r, const char *name, const char *subnet, struct hull_error *err)
{
	struct hull_network net;
	int ret = netconf_init(&net, name, subnet, NULL, NULL, err);
	return ret < 0 ? ret : netconf_create(r, &net, err);
}

static void default_network(void)
{
	struct hull_network net;
	struct hull_error err = {0};

	netconf_default(&net);
	CHECK_STR(net.name, "hull");
	CHECK_STR(net.bridge, "hull0");
	CHECK_STR(subnet_str(&net.subnet), "10.240.0.0/16");
	CHECK_STR(addr(net.gateway), "10.240.0.1");
	CHECK(net.ip_forward);
	CHECK(!net.remove_bridge_with_last);
	CHECK_INT(netconf_validate(&net, &err), 0);

	/* Exists without any file, even without the netroot. */
	memset(&net, 0, sizeof(net));
	CHECK_INT(netconf_load(new_root(), "hull", &net, &err), 0);
	CHECK_STR(net.bridge, "hull0");
	CHECK_STR(subnet_str(&net.subnet), "10.240.0.0/16");
	CHECK(!exists("%s%s", root, ""));
}

static void name_check(void)
{
	static const char *good[] = {"a", "hull", "Z9", "my-net_1.x",
	                             "a1234567890123456789012345678901" /* 32 */};
	static const char *bad[] = {"",
	                            "-a",
	                            ".a",
	                            "_a",
	                            "a/b",
	                            "a b",
	                            "../x",
	                            "a:b",
	                            "a\n",
	                            "é",
	                            "a12345678901234567890123456789012" /* 33 */};
	struct hull_error err = {0};

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		if (netconf_name_check(good[i], &err) != 0)
			tap_fail(__FILE__, __LINE__, "\"%s\" refused: %s", good[i], err.msg);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (netconf_name_check(bad[i], &err) != -EINVAL)
			tap_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
	netconf_name_check("a/b", &err);
	CHECK_STR(err.msg, "invalid network name \"a/b\": use letters, digits and _.- (not first)");
	/* Names are paths in the store: never one outside it. */
	struct hull_network net;
	CHECK_INT(netconf_load(new_root(), "../x", &net, &err), -EINVAL);
}

static void parse_subnet(void)
{
	struct hull_subnet s;
	struct hull_error err = {0};
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"10.1.0.1/24", "invalid subnet \"10.1.0.1/24\": host bits are set (the network is "
	                    "10.1.0.0/24)"},
	    {"10.1.0.0/31", "invalid subnet \"10.1.0.0/31\": prefix /31 is outside /8../30"},
	    {"10.0.0.0/7", "invalid subnet \"10.0.0.0/7\": prefix /7 is outside /8../30"},
	    {"fd00::/64", "invalid subnet \"fd00::/64\": \"fd00::\" is not an IPv4 address"},
	    {"10.1/16", "invalid subnet \"10.1/16\": \"10.1\" is not an IPv4 address"},
	    {"010.1.0.0/16", "invalid subnet \"010.1.0.0/16\": \"010.1.0.0\" is not an IPv4 "
	                     "address"},
	    {"10.1.0.0", "invalid subnet \"10.1.0.0\": expected IPv4 CIDR notation like "
	                 "10.1.0.0/24"},
	    {"10.1.0.0/x", "invalid subnet \"10.1.0.0/x\": prefix \"x\" is not a number"},
	    {"10.1.0.0/+8", "invalid subnet \"10.1.0.0/+8\": prefix \"+8\" is not a number"},
	    {"10.1.0.0/", "invalid subnet \"10.1.0.0/\": prefix \"\" is not a number"},
	    {"10.1.0.0/024", "invalid subnet \"10.1.0.0/024\": prefix \"024\" is not a number"},
	};

	CHECK_INT(netconf_parse_subnet("10.1.0.0/24", &s, &err), 0);
	CHECK_STR(subnet_str(&s), "10.1.0.0/24");
	CHECK_INT(netconf_parse_subnet("172.16.0.0/12", &s, &err), 0);
	CHECK_INT(s.prefix, 12);
	CHECK_INT(netconf_parse_subnet("192.168.7.4/30", &s, &err), 0);
	CHECK_INT(netconf_parse_subnet("10.0.0.0/8", &s, &err), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		hull_err_clear(&err);
		CHECK_INT(netconf_parse_subnet(bad[i].text, &s, &err), -EINVAL);
		CHECK_STR(err.msg, bad[i].msg);
	}
}

static void overlap_math(void)
{
	struct hull_subnet a, b, c;
	struct hull_error err = {0};

	netconf_parse_subnet("10.1.0.0/16", &a, &err);
	netconf_parse_subnet("10.1.200.0/24", &b, &err);
	netconf_parse_subnet("10.2.0.0/16", &c, &err);
	CHECK(netconf_subnets_overlap(&a, &b));
	CHECK(netconf_subnets_overlap(&b, &a));
	CHECK(!netconf_subnets_overlap(&a, &c));
	CHECK(!netconf_subnets_overlap(&b, &c));
	CHECK(netconf_subnet_contains(&a, ip("10.1.255.255")));
	CHECK(!netconf_subnet_contains(&a, ip("10.2.0.0")));
}

static void bridge_names(void)
{
	char a[IFNAMSIZ], b[IFNAMSIZ];
	struct hull_error err = {0};

	netconf_bridge_name("hull", a);
	CHECK_STR(a, "hull0");
	netconf_bridge_name("blue", a);
	CHECK_STR(a, "hull-blue");
	netconf_bridge_name("0123456789", a); /* 5 + 10: just fits */
	CHECK_STR(a, "hull-0123456789");
	/* Longer: prefix + hash, still a valid name, different for names
	 * sharing their first bytes, and the same every time. */
	netconf_bridge_name("01234567890", a);
	netconf_bridge_name("01234567891", b);
	CHECK_INT(strlen(a), 15);
	CHECK_INT(strncmp(a, "hull-0123", 9), 0);
	CHECK(strcmp(a, b) != 0);
	CHECK_INT(netconf_ifname_check(a, &err), 0);
	netconf_bridge_name("01234567890", b);
	CHECK_STR(a, b);

	CHECK_INT(netconf_ifname_check("br0", &err), 0);
	CHECK_INT(netconf_ifname_check("", &err), -EINVAL);
	CHECK_INT(netconf_ifname_check("0123456789abcdef", &err), -EINVAL);
	CHECK_INT(netconf_ifname_check("a/b", &err), -EINVAL);
	CHECK_INT(netconf_ifname_check("a:b", &err), -EINVAL);
	CHECK_INT(netconf_ifname_check("a b", &err), -EINVAL);
	CHECK_INT(netconf_ifname_check("..", &err), -EINVAL);
}

static void init_gateway(void)
{
	struct hull_network net;
	struct hull_error err = {0};

	CHECK_INT(netconf_init(&net, "blue", "10.1.0.0/24", NULL, NULL, &err), 0);
	CHECK_STR(addr(net.gateway), "10.1.0.1");
	CHECK_STR(net.bridge, "hull-blue");
	CHECK_INT(netconf_init(&net, "blue", "10.1.0.0/24", "10.1.0.254", "br-blue", &err), 0);
	CHECK_STR(addr(net.gateway), "10.1.0.254");
	CHECK_STR(net.bridge, "br-blue");

	CHECK_INT(netconf_init(&net, "blue", "10.1.0.0/24", "10.2.0.1", NULL, &err), -EINVAL);
	CHECK_STR(err.msg, "network blue: gateway 10.2.0.1 is not in subnet 10.1.0.0/24");
	CHECK_INT(netconf_init(&net, "blue", "10.1.0.0/24", "10.1.0.0", NULL, &err), -EINVAL);
	CHECK_STR(err.msg, "network blue: gateway 10.1.0.0 is the network address of subnet "
	                   "10.1.0.0/24");
	CHECK_INT(netconf_init(&net, "blue", "10.1.0.0/24", "10.1.0.255", NULL, &err), -EINVAL);
	CHECK_STR(err.msg, "network blue: gateway 10.1.0.255 is the broadcast address of subnet "
	                   "10.1.0.0/24");
	CHECK_INT(netconf_init(&net, "blue", "10.1.0.0/24", "nope", NULL, &err), -EINVAL);
	CHECK_STR(err.msg, "invalid gateway: \"nope\" is not an IPv4 address");
	CHECK_INT(netconf_init(&net, "-blue", "10.1.0.0/24", NULL, NULL, &err), -EINVAL);
	CHECK_INT(netconf_init(&net, "blue", "10.1.0.0/24", NULL, "bad/name", &err), -EINVAL);
}

static void create_and_load(void)
{
	const char *r = new_root();
	struct hull_network net, got;
	struct hull_error err = {0};

	REQUIRE(netconf_init(&net, "blue", "10.1.0.0/24", "10.1.0.254", NULL, &err) == 0);
	net.ip_forward = false;
	net.remove_bridge_with_last = true;
	CHECK_INT(netconf_create(r, &net, &err), 0);
	CHECK(exists("%s/networks/%s.json", r, "blue"));
	CHECK_INT(netconf_load(r, "blue", &got, &err), 0);
	CHECK_STR(got.name, "blue");
	CHECK_STR(got.bridge, "hull-blue");
	CHECK_STR(subnet_str(&got.subnet), "10.1.0.0/24");
	CHECK_STR(addr(got.gateway), "10.1.0.254");
	CHECK(!got.ip_forward);
	CHECK(got.remove_bridge_with_last);

	CHECK_INT(netconf_create(r, &net, &err), -EEXIST);
	CHECK_STR(err.msg, "network blue already exists");
	CHECK_INT(netconf_load(r, "red", &got, &err), -ENOENT);
	CHECK_STR(err.msg, "network red does not exist");
	/* No temporary file left behind. */
	CHECK(!exists("%s/networks/.%s.json.tmp", r, "blue"));
}

static void create_overlap(void)
{
	const char *r = new_root();
	struct hull_network net;
	struct hull_error err = {0};

	CHECK_INT(create(r, "blue", "10.1.0.0/24", &err), 0);
	CHECK_INT(create(r, "green", "10.1.0.128/25", &err), -EINVAL);
	CHECK_STR(err.msg, "subnet 10.1.0.128/25 of network green overlaps network blue "
	                   "(10.1.0.0/24)");
	CHECK_INT(create(r, "green", "10.0.0.0/8", &err), -EINVAL);
	/* The first conflict in list order: the default network. */
	CHECK_STR(err.msg, "subnet 10.0.0.0/8 of network green overlaps network hull "
	                   "(10.240.0.0/16)");
	CHECK_INT(create(r, "green", "10.240.7.0/24", &err), -EINVAL);
	CHECK_STR(err.msg, "subnet 10.240.7.0/24 of network green overlaps network hull "
	                   "(10.240.0.0/16)");
	CHECK(!exists("%s/networks/%s.json", r, "green"));
	CHECK_INT(create(r, "green", "10.1.1.0/24", &err), 0);

	/* A bridge already taken (chosen explicitly). */
	REQUIRE(netconf_init(&net, "red", "10.3.0.0/24", NULL, "hull-blue", &err) == 0);
	CHECK_INT(netconf_create(r, &net, &err), -EEXIST);
	CHECK_STR(err.msg, "bridge hull-blue of network red is already used by network blue");
	REQUIRE(netconf_init(&net, "red", "10.3.0.0/24", NULL, "hull0", &err) == 0);
	CHECK_INT(netconf_create(r, &net, &err), -EEXIST);
	CHECK_STR(err.msg, "bridge hull0 of network red is already used by network hull");
}

struct names {
	char v[8][NETCONF_NAME_MAX + 1];
	int n;
};

static int collect(const struct hull_network *net, void *userdata)
{
	struct names *ns = userdata;
	if (ns->n < 8)
		snprintf(ns->v[ns->n], sizeof(ns->v[0]), "%s", net->name);
	ns->n++;
	return 0;
}

static int stop_at_second(const struct hull_network *net, void *userdata)
{
	(void)net;
	return ++*(int *)userdata == 2 ? 42 : 0;
}

static void list(void)
{
	const char *r = new_root();
	struct hull_error err = {0};
	struct names ns = {0};
	int calls = 0;

	CHECK_INT(netconf_list(r, collect, &ns, &err), 0);
	CHECK_INT(ns.n, 1);
	CHECK_STR(ns.v[0], "hull");

	CHECK_INT(create(r, "zeta", "10.9.0.0/24", &err), 0);
	CHECK_INT(create(r, "alpha", "10.8.0.0/24", &err), 0);
	CHECK_INT(create(r, "Mid", "10.7.0.0/24", &err), 0);
	/* Not networks: skipped. */
	close(open(path_in(r, "networks/not a network.json"), O_CREAT | O_WRONLY, 0600));
	close(open(path_in(r, "networks/README"), O_CREAT | O_WRONLY, 0600));
	memset(&ns, 0, sizeof(ns));
	CHECK_INT(netconf_list(r, collect, &ns, &err), 0);
	CHECK_INT(ns.n, 4);
	CHECK_STR(ns.v[0], "hull");
	CHECK_STR(ns.v[1], "Mid");
	CHECK_STR(ns.v[2], "alpha");
	CHECK_STR(ns.v[3], "zeta");

	CHECK_INT(netconf_list(r, stop_at_second, &calls, &err), 42);
	CHECK_INT(calls, 2);
}

static void remove_with_leases(void)
{
	const char *r = new_root();
	struct hull_network net;
	struct hull_error err = {0};
	struct in_addr a, b;

	CHECK_INT(create(r, "blue", "10.1.0.0/24", &err), 0);
	REQUIRE(netconf_load(r, "blue", &net, &err) == 0);
	REQUIRE(ipam_allocate(r, &net, "c1", NULL, &a, &err) == 0);
	REQUIRE(ipam_allocate(r, &net, "c2", NULL, &b, &err) == 0);
	CHECK_INT(netconf_remove(r, "blue", &err), -EBUSY);
	CHECK_STR(err.msg, "network blue has 2 containers");
	CHECK_INT(ipam_release(r, "blue", a, "c1", &err), 0);
	CHECK_INT(netconf_remove(r, "blue", &err), -EBUSY);
	CHECK_STR(err.msg, "network blue has 1 container");
	CHECK(exists("%s/networks/%s.json", r, "blue"));
	CHECK_INT(ipam_release(r, "blue", b, "c2", &err), 0);

	CHECK_INT(netconf_remove(r, "blue", &err), 0);
	CHECK(!exists("%s/networks/%s.json", r, "blue"));
	CHECK(!exists("%s/leases/%s", r, "blue"));
	CHECK_INT(netconf_load(r, "blue", &net, &err), -ENOENT);
	CHECK_INT(netconf_remove(r, "blue", &err), -ENOENT);
	CHECK_STR(err.msg, "network blue does not exist");

	/* Allocating in a network removed after it was loaded. */
	CHECK_INT(ipam_allocate(r, &net, "c3", NULL, &a, &err), -ENOENT);
	CHECK(!exists("%s/leases/%s", r, "blue"));

	/* A network that never had leases. */
	CHECK_INT(create(r, "red", "10.2.0.0/24", &err), 0);
	CHECK_INT(netconf_remove(r, "red", &err), 0);
	/* The name and subnet are free again. */
	CHECK_INT(create(r, "blue", "10.1.0.0/16", &err), 0);
}

static void redefined_network(void)
{
	const char *r = new_root();
	struct hull_network old;
	struct hull_error err = {0};
	struct in_addr a;

	CHECK_INT(create(r, "blue", "10.1.0.0/24", &err), 0);
	REQUIRE(netconf_load(r, "blue", &old, &err) == 0);
	CHECK_INT(netconf_remove(r, "blue", &err), 0);
	CHECK_INT(create(r, "blue", "10.5.0.0/24", &err), 0);
	CHECK_INT(ipam_allocate(r, &old, "c1", NULL, &a, &err), -ESTALE);
	CHECK_STR(err.msg, "network blue changed (10.5.0.0/24, was 10.1.0.0/24)");
}

static void default_network_store(void)
{
	const char *r = new_root();
	struct hull_network net, dflt;
	struct hull_error err = {0};
	struct in_addr a;

	netconf_default(&dflt);
	CHECK_INT(netconf_remove(r, "hull", &err), -EPERM);
	CHECK_STR(err.msg, "network hull is the default network: it cannot be removed");

	/* Redefining the default while it has a container: refused. */
	REQUIRE(ipam_allocate(r, &dflt, "c1", NULL, &a, &err) == 0);
	REQUIRE(netconf_init(&net, "hull", "10.99.0.0/16", NULL, NULL, &err) == 0);
	CHECK_STR(net.bridge, "hull0");
	CHECK_INT(netconf_create(r, &net, &err), -EEXIST);
	CHECK_STR(err.msg, "network hull already exists (the default network, with 1 container)");
	CHECK_INT(ipam_release(r, "hull", a, NULL, &err), 0);

	/* Unused: a stored hull.json replaces it... */
	CHECK_INT(netconf_create(r, &net, &err), 0);
	CHECK_INT(netconf_load(r, "hull", &dflt, &err), 0);
	CHECK_STR(subnet_str(&dflt.subnet), "10.99.0.0/16");
	CHECK_INT(netconf_create(r, &net, &err), -EEXIST);
	CHECK_STR(err.msg, "network hull already exists");
	/* ...and 10.240/16 is free for others now. */
	CHECK_INT(create(r, "blue", "10.240.0.0/24", &err), 0);
	CHECK_INT(netconf_remove(r, "blue", &err), 0);
	/* Removing the file brings the implicit default back. */
	CHECK_INT(netconf_remove(r, "hull", &err), 0);
	CHECK_INT(netconf_load(r, "hull", &dflt, &err), 0);
	CHECK_STR(subnet_str(&dflt.subnet), "10.240.0.0/16");
}

static void json_round_trip(void)
{
	struct hull_network net, back;
	struct hull_error err = {0};

	REQUIRE(netconf_init(&net, "blue.2", "192.168.64.0/20", "192.168.64.9", NULL, &err) == 0);
	net.ip_forward = false;
	net.remove_bridge_with_last = true;
	json_t *j = netconf_to_json(&net);
	REQUIRE(j);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	CHECK_STR(text, "{\"name\":\"blue.2\",\"bridge\":\"hull-blue.2\",\"subnet\":"
	                "\"192.168.64.0/20\",\"gateway\":\"192.168.64.9\",\"ipForward\":false,"
	                "\"removeBridgeWithLast\":true}");
	j = json_loads(text, 0, NULL);
	free(text);
	REQUIRE(j);
	CHECK_INT(netconf_from_json(j, "t.json", &back, &err), 0);
	json_decref(j);
	CHECK(memcmp(&net, &back, sizeof(net)) == 0);

	/* Optional flags default like netconf_default. */
	j = json_pack("{s:s, s:s, s:s, s:s}", "name", "x", "bridge", "brx", "subnet", "10.7.0.0/16",
	              "gateway", "10.7.0.1");
	CHECK_INT(netconf_from_json(j, "t.json", &back, &err), 0);
	CHECK(back.ip_forward);
	CHECK(!back.remove_bridge_with_last);
	json_decref(j);

	j = json_pack("{s:s, s:s, s:s, s:s}", "name", "x", "bridge", "brx", "subnet", "10.7.0.1/16",
	              "gateway", "10.7.0.1");
	CHECK_INT(netconf_from_json(j, "t.json", &back, &err), -EINVAL);
	CHECK_STR(err.msg, "t.json: invalid subnet \"10.7.0.1/16\": host bits are set (the network "
	                   "is 10.7.0.0/16)");
	json_decref(j);
	j = json_pack("{s:s}", "name", "x");
	CHECK_INT(netconf_from_json(j, "t.json", &back, &err), -EINVAL);
	CHECK(strncmp(err.msg, "t.json: ", 8) == 0);
	json_decref(j);
}

static void corrupt_file(void)
{
	const char *r = new_root();
	struct hull_network net;
	struct hull_error err = {0};
	char path[PATH_MAX];

	CHECK_INT(create(r, "blue", "10.1.0.0/24", &err), 0);
	snprintf(path, sizeof(path), "%s/networks/blue.json", r);
	FILE *f = fopen(path, "w");
	REQUIRE(f);
	fputs("{\"name\": \"blue\",", f);
	fclose(f);
	CHECK_INT(netconf_load(r, "blue", &net, &err), -EINVAL);
	CHECK(strstr(err.msg, "networks/blue.json:1:") != NULL);
	/* A file that names another network. */
	f = fopen(path, "w");
	REQUIRE(f);
	fputs("{\"name\":\"red\",\"bridge\":\"b\",\"subnet\":\"10.1.0.0/24\",\"gateway\":"
	      "\"10.1.0.1\"}",
	      f);
	fclose(f);
	CHECK_INT(netconf_load(r, "blue", &net, &err), -EINVAL);
	CHECK(strstr(err.msg, "networks/blue.json: holds network \"red\"") != NULL);
}

/* 20 processes create networks with the same subnet at once: exactly one
 * wins, the others are told about the overlap. */
static void concurrent_create(void)
{
	const char *r = new_root();
	struct hull_error err = {0};
	struct names ns = {0};
	pid_t pids[20];
	int go[2], wins = 0, overlaps = 0;

	REQUIRE(pipe2(go, O_CLOEXEC) == 0);
	for (int i = 0; i < 20; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char name[16], c;
			close(go[1]);
			(void)!read(go[0], &c, 1);
			snprintf(name, sizeof(name), "n%d", i);
			int ret = create(r, name, "10.50.0.0/16", &err);
			_exit(ret == 0 ? 0 : ret == -EINVAL && strstr(err.msg, "overlaps") ? 1 : 2);
		}
	}
	close(go[0]);
	close(go[1]);
	for (int i = 0; i < 20; i++) {
		int status = -1;
		waitpid(pids[i], &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			wins++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			overlaps++;
	}
	CHECK_INT(wins, 1);
	CHECK_INT(overlaps, 19);
	CHECK_INT(netconf_list(r, collect, &ns, &err), 0);
	CHECK_INT(ns.n, 2);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "# setup failed\n");
		return 2;
	}
	RUN(default_network);
	RUN(name_check);
	RUN(parse_subnet);
	RUN(overlap_math);
	RUN(bridge_names);
	RUN(init_gateway);
	RUN(create_and_load);
	RUN(create_overlap);
	RUN(list);
	RUN(remove_with_leases);
	RUN(redefined_network);
	RUN(default_network_store);
	RUN(json_round_trip);
	RUN(corrupt_file);
	RUN(concurrent_create);
	tap_rm_rf(tmpdir);
	return tap_done();
}
