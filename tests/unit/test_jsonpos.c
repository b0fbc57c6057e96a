/* SPDX-License-Identifier: Apache-2.0 */
/* The error-path locator: JSON paths → positions, path formatting, bigints. */
#include "spec/jsonpos.h"
#include "tap.h"

static const char doc[] = "{\n"
                          "  \"a\": {\"b\": [10, {\"c\": \"x\"}, [1, [2]]]},\n"
                          "  \"s\\\"q\": 1, \"k\\u002ey\": true, \"\xc3\xa9t\xc3\xa9\": [null],\n"
                          "  \"sk\": \"{[\\\"]}\", \"after\": -5\n"
                          "}";

/* line:col of the value at path, as "L:C", or "L:C?" when not found */
static const char *where(const struct jpath *p)
{
	static char out[32];
	bool found;
	unsigned line, col;
	size_t off = jsonpos_find(doc, sizeof(doc) - 1, p, &found);

	jsonpos_linecol(doc, sizeof(doc) - 1, off, &line, &col);
	snprintf(out, sizeof(out), "%u:%u%s", line, col, found ? "" : "?");
	return out;
}

static void test_find(void)
{
	struct jpath a = JP_KEY(NULL, "a"), b = JP_KEY(&a, "b");
	struct jpath b0 = JP_IDX(&b, 0), b1 = JP_IDX(&b, 1), c = JP_KEY(&b1, "c");
	struct jpath b2 = JP_IDX(&b, 2), b21 = JP_IDX(&b2, 1), b210 = JP_IDX(&b21, 0);
	struct jpath sq = JP_KEY(NULL, "s\"q"), ky = JP_KEY(NULL, "k.y");
	struct jpath ete = JP_KEY(NULL, "\xc3\xa9t\xc3\xa9"), ete0 = JP_IDX(&ete, 0);
	struct jpath after = JP_KEY(NULL, "after");

	CHECK_STR(where(NULL), "1:1");
	CHECK_STR(where(&a), "2:8");
	CHECK_STR(where(&b), "2:14");
	CHECK_STR(where(&b0), "2:15");
	CHECK_STR(where(&b1), "2:19");
	CHECK_STR(where(&c), "2:25");
	CHECK_STR(where(&b21), "2:35");
	CHECK_STR(where(&b210), "2:36");
	CHECK_STR(where(&sq), "3:11");    /* key with an escaped quote */
	CHECK_STR(where(&ky), "3:26");    /* "\u002e" is "." */
	CHECK_STR(where(&ete0), "3:40");  /* columns count characters, not bytes */
	CHECK_STR(where(&after), "4:28"); /* brackets inside strings are skipped */
}

static void test_find_missing(void)
{
	struct jpath a = JP_KEY(NULL, "a"), nope = JP_KEY(&a, "nope"), deeper = JP_KEY(&nope, "x");
	struct jpath b = JP_KEY(&a, "b"), b9 = JP_IDX(&b, 9), top = JP_KEY(NULL, "zzz");
	struct jpath idx_on_obj = JP_IDX(&a, 0), key_on_arr = JP_KEY(&b, "k");

	CHECK_STR(where(&nope), "2:8?"); /* the object lacking it */
	CHECK_STR(where(&deeper), "2:8?");
	CHECK_STR(where(&b9), "2:14?");
	CHECK_STR(where(&top), "1:1?");
	CHECK_STR(where(&idx_on_obj), "2:8?");
	CHECK_STR(where(&key_on_arr), "2:14?");
}

static void test_format(void)
{
	struct jpath m = JP_KEY(NULL, "mounts"), m2 = JP_IDX(&m, 2), o = JP_KEY(&m2, "options");
	struct jpath o1 = JP_IDX(&o, 1);
	struct jpath l = JP_KEY(NULL, "linux"), s = JP_KEY(&l, "sysctl");
	struct jpath k = JP_KEY(&s, "net.ipv4.ip_forward"), q = JP_KEY(&s, "a\"b\\c\n");
	struct jpath i = JP_KEY(NULL, "_x9"), d = JP_KEY(NULL, "9x"), e = JP_KEY(NULL, "");
	struct jpath r0 = JP_IDX(NULL, 0);
	char buf[128], small[8];

	jpath_format(&o1, buf, sizeof(buf));
	CHECK_STR(buf, "mounts[2].options[1]");
	jpath_format(&k, buf, sizeof(buf));
	CHECK_STR(buf, "linux.sysctl[\"net.ipv4.ip_forward\"]");
	jpath_format(&q, buf, sizeof(buf));
	CHECK_STR(buf, "linux.sysctl[\"a\\\"b\\\\c\\u000a\"]");
	jpath_format(&i, buf, sizeof(buf));
	CHECK_STR(buf, "_x9");
	jpath_format(&d, buf, sizeof(buf));
	CHECK_STR(buf, "[\"9x\"]");
	jpath_format(&e, buf, sizeof(buf));
	CHECK_STR(buf, "[\"\"]");
	jpath_format(&r0, buf, sizeof(buf));
	CHECK_STR(buf, "[0]");
	jpath_format(NULL, buf, sizeof(buf));
	CHECK_STR(buf, "");
	jpath_format(&o1, small, sizeof(small));
	CHECK_STR(small, "mounts[");
}

static void test_linecol(void)
{
	static const char t[] = "ab\n\xc3\xa9z\n";
	unsigned l, c;

	jsonpos_linecol(t, sizeof(t) - 1, 0, &l, &c);
	CHECK(l == 1 && c == 1);
	jsonpos_linecol(t, sizeof(t) - 1, 2, &l, &c);
	CHECK(l == 1 && c == 3);
	jsonpos_linecol(t, sizeof(t) - 1, 5, &l, &c); /* 'z' after a 2-byte character */
	CHECK(l == 2 && c == 2);
	jsonpos_linecol(t, sizeof(t) - 1, 999, &l, &c); /* clamped to the end */
	CHECK(l == 3 && c == 1);
}

static void test_integer_at(void)
{
	static const char t[] = "[18446744073709551615, -9223372036854775808, 1.5, 1e3, "
	                        "18446744073709551616, -0, x]";
	unsigned long long mag;
	bool neg, huge;

	CHECK(jsonpos_integer_at(t, sizeof(t) - 1, 1, &neg, &mag, &huge));
	CHECK(!neg && !huge && mag == UINT64_MAX);
	CHECK(jsonpos_integer_at(t, sizeof(t) - 1, 23, &neg, &mag, &huge));
	CHECK(neg && !huge && mag == 9223372036854775808ull);
	CHECK(!jsonpos_integer_at(t, sizeof(t) - 1, 45, &neg, &mag, &huge)); /* 1.5 */
	CHECK(!jsonpos_integer_at(t, sizeof(t) - 1, 50, &neg, &mag, &huge)); /* 1e3 */
	CHECK(jsonpos_integer_at(t, sizeof(t) - 1, 55, &neg, &mag, &huge));
	CHECK(huge);
	CHECK(jsonpos_integer_at(t, sizeof(t) - 1, 77, &neg, &mag, &huge));
	CHECK(neg && mag == 0);
	CHECK(!jsonpos_integer_at(t, sizeof(t) - 1, 81, &neg, &mag, &huge));
}

static void test_rewrite_bigints(void)
{
	char t[] = "{\"9223372036854775808\": [9223372036854775807, 9223372036854775808, "
	           "-9223372036854775808, -9223372036854775809, 1.8446744073709551615e19, "
	           "018446744073709551615, \"18446744073709551615\"]}";
	const char *want = "{\"9223372036854775808\": [9223372036854775807, 0.00000000000000000, "
	                   "-9223372036854775808, -0.00000000000000000, 1.8446744073709551615e19, "
	                   "018446744073709551615, \"18446744073709551615\"]}";

	CHECK_INT(jsonpos_rewrite_bigints(t, sizeof(t) - 1), 2);
	CHECK_STR(t, want);
}

int main(void)
{
	RUN(test_find);
	RUN(test_find_missing);
	RUN(test_format);
	RUN(test_linecol);
	RUN(test_integer_at);
	RUN(test_rewrite_bigints);
	return tap_done();
}
