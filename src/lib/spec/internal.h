/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Private to the spec module: parse context, arena, typed JSON readers. */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonpos.h"
#include "spec.h"

struct arena_chunk;

/* Everything hull_spec_free() releases besides the spec itself. */
struct hull_spec_priv {
	struct arena_chunk *chunks;
	size_t next_chunk_size;
	json_t **extra_docs; /* process.json documents loaded against this spec */
	size_t n_extra_docs;
};

struct spec_ctx {
	const char *name; /* file name for messages, as given */
	const char *buf;  /* the original text, for positions */
	size_t len;
	bool bigints;                /* jsonpos_rewrite_bigints() changed the text jansson saw */
	struct hull_spec_priv *priv; /* arena */
	struct hull_error *err;
};

/* "name:line:col: path: message"; returns -EINVAL. */
int spec_error(struct spec_ctx *c, const struct jpath *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Zeroed array of n elements from the spec's arena; NULL (error set) on ENOMEM.
 * n may be 0 (returns a valid empty allocation). */
void *spec_alloc(struct spec_ctx *c, size_t n, size_t size);
void spec_arena_free(struct hull_spec_priv *priv);

/* json_loadb with the bigint fallback and positioned syntax errors. */
int spec_json_parse(struct spec_ctx *c, json_t **ret_doc);

/* Member `key` of obj, or NULL when absent or null (Go writes nil as null:
 * null means absent, as in runc). */
json_t *sj_get(json_t *obj, const char *key);

/* Value readers: 0 or -EINVAL (positioned error at p). */
int sv_object(struct spec_ctx *c, json_t *v, const struct jpath *p);
int sv_array(struct spec_ctx *c, json_t *v, const struct jpath *p);
int sv_string(struct spec_ctx *c, json_t *v, const struct jpath *p, const char **ret);
int sv_bool(struct spec_ctx *c, json_t *v, const struct jpath *p, bool *ret);
int sv_u64(struct spec_ctx *c, json_t *v, const struct jpath *p, uint64_t *ret);
int sv_i64(struct spec_ctx *c, json_t *v, const struct jpath *p, int64_t *ret);
int sv_u32(struct spec_ctx *c, json_t *v, const struct jpath *p, uint32_t *ret);
int sv_i32(struct spec_ctx *c, json_t *v, const struct jpath *p, int32_t *ret);
int sv_u16(struct spec_ctx *c, json_t *v, const struct jpath *p, uint16_t *ret);
/* Array of strings → NULL-terminated arena array; *ret_n may be NULL. */
int sv_strv(struct spec_ctx *c, json_t *v, const struct jpath *p, const char ***ret, size_t *ret_n);
/* Object of strings → arena array of key/value pairs, in document order. */
int sv_kv(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_kv **ret,
          size_t *ret_n);

/* Table-driven reading of an object's scalar members. */
enum field_type { F_STR, F_BOOL, F_U16, F_U32, F_I32, F_I64, F_U64, F_STRV };

struct field {
	const char *key;
	enum field_type type;
	bool required;
	size_t off;     /* of the member in the struct */
	size_t has_off; /* of its bool has_* flag, or NO_HAS */
};

#define NO_HAS ((size_t)-1)
#define FLD(k, t, st, m)                                                                           \
	{                                                                                          \
		k, t, false, offsetof(st, m), NO_HAS                                               \
	}
#define FLD_REQ(k, t, st, m)                                                                       \
	{                                                                                          \
		k, t, true, offsetof(st, m), NO_HAS                                                \
	}
#define FLD_HAS(k, t, st, m, h)                                                                    \
	{                                                                                          \
		k, t, false, offsetof(st, m), offsetof(st, h)                                      \
	}

int sj_fields(struct spec_ctx *c, json_t *obj, const struct jpath *p, const struct field *f,
              size_t n, void *base);

/* Member `key` as an object/array: 1 present (*ret set), 0 absent, <0 error. */
int sj_object(struct spec_ctx *c, json_t *obj, const struct jpath *p, const char *key,
              json_t **ret);
int sj_array(struct spec_ctx *c, json_t *obj, const struct jpath *p, const char *key, json_t **ret);
int sj_missing(struct spec_ctx *c, const struct jpath *p, const char *key);

/* Name tables (names.c). Lookups return -1 (or NULL) when unknown. */
int names_rlimit(const char *name);
int names_cap(const char *name);
int names_ns(const char *name);
int names_sched_policy(const char *name);
long names_sched_flag(const char *name);
int names_ioprio_class(const char *name);
long names_propagation(const char *name); /* "" → 0 */
int names_personality(const char *name);
int names_mpol_mode(const char *name);
long names_mpol_flag(const char *name);
int names_seccomp_action(const char *name);
int names_seccomp_op(const char *name);
int names_seccomp_arch(const char *name);
long names_seccomp_flag(const char *name);

/* Parsers (parse_*.c). `p` is the path of the object being parsed. */
int parse_spec(struct spec_ctx *c, json_t *doc, struct hull_spec *s);
int parse_process(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_process *ret);
int parse_mounts(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_spec *s);
int parse_idmaps(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_idmaps *ret);
int parse_linux(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_linux *ret);
int validate_resources(struct spec_ctx *c, const struct hull_resources *res,
                       const struct jpath *lp);
int parse_resources(struct spec_ctx *c, json_t *v, const struct jpath *p,
                    struct hull_resources **ret);
int parse_seccomp(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_seccomp **ret);

/* "0-3,7": comma-separated numbers and ranges (lo <= hi); empty is fine. */
bool cpulist_valid(const char *s);

/* Validation (validate.c), after parsing; same error convention. */
int validate_process(struct spec_ctx *c, const struct hull_process *proc, const struct jpath *p);
int validate_spec(struct spec_ctx *c, const struct hull_spec *s);
