/* SPDX-License-Identifier: Apache-2.0 */
#include "jsonpos.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *buf, size_t len, size_t pos)
{
	while (pos < len && is_ws(buf[pos]))
		pos++;
	return pos;
}

/* pos at the opening quote; returns the offset after the closing quote. */
static size_t skip_string(const char *buf, size_t len, size_t pos)
{
	for (pos++; pos < len; pos++) {
		if (buf[pos] == '\\')
			pos++;
		else if (buf[pos] == '"')
			return pos + 1;
	}
	return len;
}

/* Containers are skipped by counting brackets outside strings: no recursion,
 * so a deeply nested document cannot exhaust the stack. */
static size_t skip_value(const char *buf, size_t len, size_t pos)
{
	size_t depth = 0;

	if (pos >= len)
		return len;
	if (buf[pos] == '"')
		return skip_string(buf, len, pos);
	if (buf[pos] != '{' && buf[pos] != '[') {
		while (pos < len && !is_ws(buf[pos]) && !strchr(",]}", buf[pos]))
			pos++;
		return pos;
	}
	while (pos < len) {
		char c = buf[pos];

		if (c == '"') {
			pos = skip_string(buf, len, pos);
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			return pos + 1;
		pos++;
	}
	return len;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long read_hex4(const char *buf, size_t len, size_t pos)
{
	long v = 0;

	if (pos + 4 > len)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		int h = hexval(buf[pos + i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t utf8_encode(unsigned long cp, unsigned char out[4])
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decode the escape at buf[*pos] ('\\'); advances *pos past it. */
static size_t decode_escape(const char *buf, size_t len, size_t *pos, unsigned char out[4])
{
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
	size_t p = *pos + 1;
	long cp, lo;
	const char *e;

	if (p >= len)
		return *pos = len, 0;
	if (buf[p] != 'u') {
		e = strchr(esc_in, buf[p]);
		*pos = p + 1;
		out[0] = e && *e ? (unsigned char)esc_out[e - esc_in] : (unsigned char)buf[p];
		return 1;
	}
	cp = read_hex4(buf, len, p + 1);
	*pos = p + 5;
	if (cp < 0)
		return 0;
	if (cp >= 0xd800 && cp < 0xdc00 && *pos + 1 < len && buf[*pos] == '\\' &&
	    buf[*pos + 1] == 'u') {
		lo = read_hex4(buf, len, *pos + 2);
		if (lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			*pos += 6;
		}
	}
	return utf8_encode((unsigned long)cp, out);
}

/* Compare the JSON string at buf[*pos] (opening quote) with key, decoding
 * escapes; *pos ends after the closing quote either way. */
static bool key_equals(const char *buf, size_t len, size_t *pos, const char *key)
{
	size_t p = *pos + 1, k = 0;
	bool same = true;

	while (p < len && buf[p] != '"') {
		unsigned char dec[4];
		size_t n;

		if (buf[p] == '\\') {
			n = decode_escape(buf, len, &p, dec);
		} else {
			dec[0] = (unsigned char)buf[p++];
			n = 1;
		}
		for (size_t i = 0; i < n && same; i++, k++)
			same = key[k] != '\0' && (unsigned char)key[k] == dec[i];
	}
	*pos = p < len ? p + 1 : len;
	return same && key[k] == '\0';
}

/* pos at '{': offset of the value of member `key`, or (size_t)-1. */
static size_t find_member(const char *buf, size_t len, size_t pos, const char *key)
{
	pos = skip_ws(buf, len, pos + 1);
	while (pos < len && buf[pos] == '"') {
		bool match = key_equals(buf, len, &pos, key);

		pos = skip_ws(buf, len, pos);
		if (pos >= len || buf[pos] != ':')
			break;
		pos = skip_ws(buf, len, pos + 1);
		if (match)
			return pos;
		pos = skip_ws(buf, len, skip_value(buf, len, pos));
		if (pos >= len || buf[pos] != ',')
			break;
		pos = skip_ws(buf, len, pos + 1);
	}
	return (size_t)-1;
}

/* pos at '[': offset of element `index`, or (size_t)-1. */
static size_t find_element(const char *buf, size_t len, size_t pos, size_t index)
{
	pos = skip_ws(buf, len, pos + 1);
	if (pos >= len || buf[pos] == ']')
		return (size_t)-1;
	for (size_t i = 0; i < index; i++) {
		pos = skip_ws(buf, len, skip_value(buf, len, pos));
		if (pos >= len || buf[pos] != ',')
			return (size_t)-1;
		pos = skip_ws(buf, len, pos + 1);
	}
	return pos < len ? pos : (size_t)-1;
}

static size_t find_rec(const char *buf, size_t len, const struct jpath *p, bool *found)
{
	size_t at, next = (size_t)-1;

	if (!p) {
		*found = true;
		return skip_ws(buf, len, 0);
	}
	at = find_rec(buf, len, p->up, found);
	if (!*found || at >= len)
		return at;
	if (p->key && buf[at] == '{')
		next = find_member(buf, len, at, p->key);
	else if (!p->key && buf[at] == '[')
		next = find_element(buf, len, at, p->index);
	if (next == (size_t)-1) {
		*found = false;
		return at;
	}
	return next;
}

size_t jsonpos_find(const char *buf, size_t len, const struct jpath *path, bool *ret_found)
{
	bool found = false;
	size_t at = find_rec(buf, len, path, &found);

	if (ret_found)
		*ret_found = found;
	return at > len ? len : at;
}

void jsonpos_linecol(const char *buf, size_t len, size_t offset, unsigned *ret_line,
                     unsigned *ret_col)
{
	unsigned line = 1, col = 1;

	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			col++; /* count characters, not UTF-8 continuation bytes */
		}
	}
	*ret_line = line;
	*ret_col = col;
}

static bool is_ident(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

struct outbuf {
	char *p;
	size_t size, len;
};

static void out_putc(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->p[o->len++] = c;
	o->p[o->len] = '\0';
}

static void out_puts(struct outbuf *o, const char *s)
{
	while (*s)
		out_putc(o, *s++);
}

static void format_key(struct outbuf *o, const char *key, bool first)
{
	if (is_ident(key)) {
		if (!first)
			out_putc(o, '.');
		out_puts(o, key);
		return;
	}
	out_puts(o, "[\"");
	for (const unsigned char *s = (const unsigned char *)key; *s; s++) {
		char hex[8];

		if (*s == '"' || *s == '\\') {
			out_putc(o, '\\');
			out_putc(o, (char)*s);
		} else if (*s < 0x20) {
			snprintf(hex, sizeof(hex), "\\u%04x", *s);
			out_puts(o, hex);
		} else {
			out_putc(o, (char)*s);
		}
	}
	out_puts(o, "\"]");
}

static void format_rec(struct outbuf *o, const struct jpath *p)
{
	char idx[32];

	if (!p)
		return;
	format_rec(o, p->up);
	if (p->key) {
		format_key(o, p->key, !p->up);
	} else {
		snprintf(idx, sizeof(idx), "[%zu]", p->index);
		out_puts(o, idx);
	}
}

void jpath_format(const struct jpath *path, char *out, size_t size)
{
	struct outbuf o = {out, size, 0};

	if (!size)
		return;
	out[0] = '\0';
	format_rec(&o, path);
}

/* Scan an integer literal at pos: end offset, or pos if it is not one
 * (a fraction or exponent makes it a real). */
static size_t integer_end(const char *buf, size_t len, size_t pos, size_t *ret_digits)
{
	size_t p = pos;

	if (p < len && buf[p] == '-')
		p++;
	*ret_digits = p;
	while (p < len && buf[p] >= '0' && buf[p] <= '9')
		p++;
	if (p == *ret_digits)
		return pos;
	if (p < len && (buf[p] == '.' || buf[p] == 'e' || buf[p] == 'E'))
		return pos;
	return p;
}

bool jsonpos_integer_at(const char *buf, size_t len, size_t offset, bool *ret_neg,
                        unsigned long long *ret_mag, bool *ret_huge)
{
	size_t digits, end = integer_end(buf, len, offset, &digits);
	unsigned long long mag = 0;
	bool huge = false;

	if (end == offset)
		return false;
	for (size_t i = digits; i < end; i++) {
		unsigned d = (unsigned)(buf[i] - '0');

		if (mag > (UINT64_MAX - d) / 10)
			huge = true;
		else
			mag = mag * 10 + d;
	}
	*ret_neg = buf[offset] == '-';
	*ret_mag = huge ? UINT64_MAX : mag;
	*ret_huge = huge;
	return true;
}

/* Does the literal (digits only) exceed int64 (or -INT64_MIN when neg)? A
 * leading zero is invalid JSON: leave it for jansson to reject. */
static bool outside_int64(const char *digits, size_t n, bool neg)
{
	const char *lim = neg ? "9223372036854775808" : "9223372036854775807";

	if (n > 1 && digits[0] == '0')
		return false;
	if (n != 19)
		return n > 19;
	return memcmp(digits, lim, 19) > 0;
}

size_t jsonpos_rewrite_bigints(char *buf, size_t len)
{
	size_t pos = 0, count = 0;

	while (pos < len) {
		size_t digits, end;
		char c = buf[pos];

		if (c == '"') {
			pos = skip_string(buf, len, pos);
			continue;
		}
		if (c != '-' && !(c >= '0' && c <= '9')) {
			pos++;
			continue;
		}
		end = integer_end(buf, len, pos, &digits);
		if (end == pos) { /* a real (or junk): skip the token */
			while (pos < len && !is_ws(buf[pos]) && !strchr(",]}", buf[pos]))
				pos++;
			continue;
		}
		if (outside_int64(buf + digits, end - digits, digits > pos)) {
			/* at least 19 digits, so "0." fits */
			buf[digits] = '0';
			buf[digits + 1] = '.';
			memset(buf + digits + 2, '0', end - digits - 2);
			count++;
		}
		pos = end;
	}
	return count;
}
