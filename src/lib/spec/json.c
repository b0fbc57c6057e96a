/* SPDX-License-Identifier: Apache-2.0 */
/* Typed, positioned reading of the jansson document; the spec arena. */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int spec_error(struct spec_ctx *c, const struct jpath *p, const char *fmt, ...)
{
	char msg[512], path[512];
	unsigned line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	jpath_format(p, path, sizeof(path));
	if (c->buf)
		jsonpos_linecol(c->buf, c->len, jsonpos_find(c->buf, c->len, p, NULL), &line, &col);
	if (!path[0])
		return hull_err(c->err, EINVAL, "%s:%u:%u: %s", c->name, line, col, msg);
	return hull_err(c->err, EINVAL, "%s:%u:%u: %s: %s", c->name, line, col, path, msg);
}

/* ---- arena: one free for everything the structs point to ---- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_MIN   4096
#define ARENA_MAX   65536
#define ARENA_ALIGN sizeof(max_align_t)

void *spec_alloc(struct spec_ctx *c, size_t n, size_t size)
{
	struct hull_spec_priv *pv = c->priv;
	struct arena_chunk *ch = pv->chunks;
	size_t bytes, csize;

	if (size && n > (SIZE_MAX / 2) / size)
		goto oom;
	bytes = (n * size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (!bytes)
		bytes = ARENA_ALIGN;
	if (ch && ch->size - ch->used >= bytes) {
		void *p = (char *)ch->data + ch->used;
		ch->used += bytes;
		return p;
	}
	if (pv->next_chunk_size < ARENA_MIN)
		pv->next_chunk_size = ARENA_MIN;
	csize = bytes > pv->next_chunk_size ? bytes : pv->next_chunk_size;
	ch = calloc(1, sizeof(*ch) + csize);
	if (!ch)
		goto oom;
	ch->size = csize;
	ch->used = bytes;
	if (pv->chunks && bytes > pv->next_chunk_size) {
		/* a dedicated big block: keep the current chunk's free space in use */
		ch->next = pv->chunks->next;
		pv->chunks->next = ch;
	} else {
		ch->next = pv->chunks;
		pv->chunks = ch;
		if (pv->next_chunk_size < ARENA_MAX)
			pv->next_chunk_size *= 2;
	}
	return ch->data;
oom:
	hull_err(c->err, ENOMEM, "%s: out of memory", c->name);
	return NULL;
}

void spec_arena_free(struct hull_spec_priv *priv)
{
	struct arena_chunk *ch, *next;

	if (!priv)
		return;
	for (ch = priv->chunks; ch; ch = next) {
		next = ch->next;
		free(ch);
	}
	priv->chunks = NULL;
}

/* ---- parsing ---- */

/* jansson reports the position after the offending token; point at its
 * start instead (consistent with value positions), when the token is known. */
static size_t syntax_error_offset(struct spec_ctx *c, const json_error_t *je)
{
	const char *near = strstr(je->text, " near '");
	size_t pos = je->position > 0 ? (size_t)je->position : 0, tlen;

	if (pos > c->len)
		pos = c->len;
	if (!near || strcmp(near, " near end of file") == 0)
		return pos;
	near += strlen(" near '");
	tlen = strlen(near);
	if (tlen < 2 || near[tlen - 1] != '\'')
		return pos;
	tlen--;
	if (tlen <= pos && memcmp(c->buf + pos - tlen, near, tlen) == 0)
		return pos - tlen;
	return pos;
}

static int syntax_error(struct spec_ctx *c, const json_error_t *je)
{
	unsigned line, col;

	if (json_error_code(je) == json_error_out_of_memory)
		return hull_err(c->err, ENOMEM, "%s: out of memory", c->name);
	jsonpos_linecol(c->buf, c->len, syntax_error_offset(c, je), &line, &col);
	return hull_err(c->err, EINVAL, "%s:%u:%u: syntax error: %s", c->name, line, col, je->text);
}

int spec_json_parse(struct spec_ctx *c, json_t **ret_doc)
{
	/* Duplicate keys are refused: parsers disagree on which one wins (Go takes
	 * the last), and a security setting must not depend on that. */
	const size_t flags = JSON_REJECT_DUPLICATES;
	json_error_t je;
	json_t *doc;

	doc = json_loadb(c->buf, c->len, flags, &je);
	if (!doc && json_error_code(&je) == json_error_numeric_overflow) {
		char *copy = malloc(c->len ? c->len : 1);

		if (!copy)
			return hull_err(c->err, ENOMEM, "%s: out of memory", c->name);
		memcpy(copy, c->buf, c->len);
		if (jsonpos_rewrite_bigints(copy, c->len) > 0) {
			c->bigints = true;
			doc = json_loadb(copy, c->len, flags, &je);
		}
		free(copy);
	}
	if (!doc)
		return syntax_error(c, &je);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return spec_error(c, NULL, "expected an object");
	}
	*ret_doc = doc;
	return 0;
}

/* ---- value readers ---- */

json_t *sj_get(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

int sv_object(struct spec_ctx *c, json_t *v, const struct jpath *p)
{
	return json_is_object(v) ? 0 : spec_error(c, p, "expected object");
}

int sv_array(struct spec_ctx *c, json_t *v, const struct jpath *p)
{
	return json_is_array(v) ? 0 : spec_error(c, p, "expected array");
}

int sv_string(struct spec_ctx *c, json_t *v, const struct jpath *p, const char **ret)
{
	if (!json_is_string(v))
		return spec_error(c, p, "expected string");
	*ret = json_string_value(v);
	return 0;
}

int sv_bool(struct spec_ctx *c, json_t *v, const struct jpath *p, bool *ret)
{
	if (!json_is_boolean(v))
		return spec_error(c, p, "expected boolean");
	*ret = json_is_true(v);
	return 0;
}

struct jnum {
	bool neg, huge;
	unsigned long long mag;
};

static int sv_number(struct spec_ctx *c, json_t *v, const struct jpath *p, struct jnum *n)
{
	bool found;

	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);

		n->neg = i < 0;
		n->huge = false;
		n->mag = n->neg ? 0ULL - (unsigned long long)i : (unsigned long long)i;
		return 0;
	}
	/* A real here may be an integer literal jansson could not hold (see
	 * jsonpos_rewrite_bigints): read the exact digits from the text. */
	if (json_is_real(v) && c->bigints) {
		size_t off = jsonpos_find(c->buf, c->len, p, &found);

		if (found && jsonpos_integer_at(c->buf, c->len, off, &n->neg, &n->mag, &n->huge))
			return 0;
	}
	return spec_error(c, p, "expected integer");
}

/* Integer in [min, max] (min <= 0), returned as two's complement bits. */
static int sv_int_range(struct spec_ctx *c, json_t *v, const struct jpath *p, long long min,
                        unsigned long long max, unsigned long long *ret)
{
	struct jnum n;
	bool ok;
	int r;

	r = sv_number(c, v, p, &n);
	if (r < 0)
		return r;
	if (n.mag == 0)
		n.neg = false;
	if (n.neg)
		ok = !n.huge && min < 0 && n.mag - 1 <= (unsigned long long)(-(min + 1));
	else
		ok = !n.huge && n.mag <= max;
	if (!ok) {
		if (n.huge)
			return spec_error(
			    c, p, "expected integer in range %lld..%llu, got a larger number", min,
			    max);
		return spec_error(c, p, "expected integer in range %lld..%llu, got %s%llu", min,
		                  max, n.neg ? "-" : "", n.mag);
	}
	*ret = n.neg ? 0ULL - n.mag : n.mag;
	return 0;
}

int sv_u64(struct spec_ctx *c, json_t *v, const struct jpath *p, uint64_t *ret)
{
	unsigned long long x = 0;
	int r = sv_int_range(c, v, p, 0, UINT64_MAX, &x);

	if (r == 0)
		*ret = x;
	return r;
}

int sv_i64(struct spec_ctx *c, json_t *v, const struct jpath *p, int64_t *ret)
{
	unsigned long long x = 0;
	int r = sv_int_range(c, v, p, INT64_MIN, INT64_MAX, &x);

	if (r == 0)
		*ret = (int64_t)x;
	return r;
}

int sv_u32(struct spec_ctx *c, json_t *v, const struct jpath *p, uint32_t *ret)
{
	unsigned long long x = 0;
	int r = sv_int_range(c, v, p, 0, UINT32_MAX, &x);

	if (r == 0)
		*ret = (uint32_t)x;
	return r;
}

int sv_i32(struct spec_ctx *c, json_t *v, const struct jpath *p, int32_t *ret)
{
	unsigned long long x = 0;
	int r = sv_int_range(c, v, p, INT32_MIN, INT32_MAX, &x);

	if (r == 0)
		*ret = (int32_t)x;
	return r;
}

int sv_u16(struct spec_ctx *c, json_t *v, const struct jpath *p, uint16_t *ret)
{
	unsigned long long x = 0;
	int r = sv_int_range(c, v, p, 0, UINT16_MAX, &x);

	if (r == 0)
		*ret = (uint16_t)x;
	return r;
}

int sv_strv(struct spec_ctx *c, json_t *v, const struct jpath *p, const char ***ret, size_t *ret_n)
{
	size_t n, i;
	const char **strv;
	json_t *e;
	int r;

	if (!json_is_array(v))
		return spec_error(c, p, "expected array of strings");
	n = json_array_size(v);
	strv = spec_alloc(c, n + 1, sizeof(*strv));
	if (!strv)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);

		r = sv_string(c, e, &ep, &strv[i]);
		if (r < 0)
			return r;
	}
	*ret = strv;
	if (ret_n)
		*ret_n = n;
	return 0;
}

int sv_kv(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_kv **ret, size_t *ret_n)
{
	struct hull_kv *kv;
	const char *key;
	size_t i = 0;
	json_t *val;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	kv = spec_alloc(c, json_object_size(v), sizeof(*kv));
	if (!kv)
		return -ENOMEM;
	json_object_foreach(v, key, val)
	{
		struct jpath kp = JP_KEY(p, key);

		kv[i].key = key;
		r = sv_string(c, val, &kp, &kv[i].value);
		if (r < 0)
			return r;
		i++;
	}
	*ret = kv;
	*ret_n = i;
	return 0;
}

/* ---- members ---- */

int sj_missing(struct spec_ctx *c, const struct jpath *p, const char *key)
{
	struct jpath kp = JP_KEY(p, key);

	return spec_error(c, &kp, "missing");
}

int sj_object(struct spec_ctx *c, json_t *obj, const struct jpath *p, const char *key, json_t **ret)
{
	struct jpath kp = JP_KEY(p, key);
	json_t *v = sj_get(obj, key);
	int r;

	if (!v)
		return 0;
	r = sv_object(c, v, &kp);
	if (r < 0)
		return r;
	*ret = v;
	return 1;
}

int sj_array(struct spec_ctx *c, json_t *obj, const struct jpath *p, const char *key, json_t **ret)
{
	struct jpath kp = JP_KEY(p, key);
	json_t *v = sj_get(obj, key);
	int r;

	if (!v)
		return 0;
	r = sv_array(c, v, &kp);
	if (r < 0)
		return r;
	*ret = v;
	return 1;
}

static int field_read(struct spec_ctx *c, json_t *v, const struct jpath *p, const struct field *f,
                      void *dst)
{
	switch (f->type) {
	case F_STR:
		return sv_string(c, v, p, dst);
	case F_BOOL:
		return sv_bool(c, v, p, dst);
	case F_U16:
		return sv_u16(c, v, p, dst);
	case F_U32:
		return sv_u32(c, v, p, dst);
	case F_I32:
		return sv_i32(c, v, p, dst);
	case F_I64:
		return sv_i64(c, v, p, dst);
	case F_U64:
		return sv_u64(c, v, p, dst);
	case F_STRV:
		return sv_strv(c, v, p, dst, NULL);
	}
	return -EINVAL;
}

int sj_fields(struct spec_ctx *c, json_t *obj, const struct jpath *p, const struct field *f,
              size_t n, void *base)
{
	for (size_t i = 0; i < n; i++) {
		struct jpath kp = JP_KEY(p, f[i].key);
		json_t *v = sj_get(obj, f[i].key);
		int r;

		if (!v) {
			if (f[i].required)
				return spec_error(c, &kp, "missing");
			continue;
		}
		r = field_read(c, v, &kp, &f[i], (char *)base + f[i].off);
		if (r < 0)
			return r;
		if (f[i].has_off != NO_HAS)
			*(bool *)((char *)base + f[i].has_off) = true;
	}
	return 0;
}
