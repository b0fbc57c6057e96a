/* SPDX-License-Identifier: Apache-2.0 */
/* Public entry points: load config.json / process.json, free, look up. */
#include "internal.h"
#include "mountopt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/cleanup.h"

/* Far above any real config (big seccomp profiles are ~100 KiB); a bound on
 * what a mistaken path (a disk image, /dev/zero) can make us read. */
#define SPEC_MAX_SIZE (64u << 20)

static int read_all(const char *path, char **ret_buf, size_t *ret_len, struct hull_error *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, size = 0;
	struct stat st;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return hull_err_sys(err, errno, "open %s", path);
	if (S_ISDIR(st.st_mode))
		return hull_err_sys(err, EISDIR, "read %s", path);
	/* st_size is a hint (0 for pipes and procfs): grow as needed */
	size = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	for (;;) {
		ssize_t n;

		if (len == size || !buf) {
			char *nb;

			if (buf)
				size *= 2;
			if (size > SPEC_MAX_SIZE + 1)
				return hull_err(err, EFBIG, "%s: larger than %u MiB", path,
				                SPEC_MAX_SIZE >> 20);
			nb = realloc(buf, size);
			if (!nb)
				return hull_err(err, ENOMEM, "%s: out of memory", path);
			buf = nb;
		}
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return hull_err_sys(err, errno, "read %s", path);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*ret_buf = take_ptr(buf);
	*ret_len = len;
	return 0;
}

void hull_spec_free(struct hull_spec *spec)
{
	struct hull_spec_priv *pv;

	if (!spec)
		return;
	for (size_t i = 0; i < spec->n_mounts; i++)
		hull_mount_opts_done(&spec->mounts[i].opts);
	pv = spec->priv;
	if (pv) {
		for (size_t i = 0; i < pv->n_extra_docs; i++)
			json_decref(pv->extra_docs[i]);
		free(pv->extra_docs);
		spec_arena_free(pv);
		free(pv);
	}
	json_decref(spec->doc);
	free(spec);
}

int hull_spec_load_buffer(const char *name, const char *buf, size_t len,
                          struct hull_spec **ret_spec, struct hull_error *err)
{
	struct spec_ctx c = {.name = name, .buf = buf, .len = len, .err = err};
	struct hull_spec *s;
	json_t *doc;
	int r;

	s = calloc(1, sizeof(*s));
	if (!s || !(s->priv = calloc(1, sizeof(*s->priv)))) {
		free(s);
		return hull_err(err, ENOMEM, "%s: out of memory", name);
	}
	c.priv = s->priv;
	r = spec_json_parse(&c, &doc);
	if (r == 0) {
		s->doc = doc;
		r = parse_spec(&c, doc, s);
	}
	if (r == 0)
		r = validate_spec(&c, s);
	if (r < 0) {
		hull_spec_free(s);
		return r;
	}
	*ret_spec = s;
	return 0;
}

int hull_spec_load(const char *path, struct hull_spec **ret_spec, struct hull_error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	r = read_all(path, &buf, &len, err);
	if (r < 0)
		return r;
	return hull_spec_load_buffer(path, buf, len, ret_spec, err);
}

static int attach_doc(struct spec_ctx *c, struct hull_spec_priv *pv, json_t *doc)
{
	json_t **docs = realloc(pv->extra_docs, (pv->n_extra_docs + 1) * sizeof(*docs));

	if (!docs)
		return hull_err(c->err, ENOMEM, "%s: out of memory", c->name);
	docs[pv->n_extra_docs++] = doc;
	pv->extra_docs = docs;
	return 0;
}

int hull_process_load_buffer(const char *name, const char *buf, size_t len, struct hull_spec *owner,
                             struct hull_process *ret, struct hull_error *err)
{
	struct spec_ctx c = {.name = name, .buf = buf, .len = len, .err = err};
	struct hull_process proc;
	json_t *doc;
	int r;

	if (!owner || !owner->priv)
		return hull_err(err, EINVAL, "%s: no spec to attach the process to", name);
	c.priv = owner->priv;
	r = spec_json_parse(&c, &doc);
	if (r < 0)
		return r;
	r = attach_doc(&c, owner->priv, doc);
	if (r < 0) {
		json_decref(doc);
		return r;
	}
	/* the document's root is the process object itself: paths are relative */
	r = parse_process(&c, doc, NULL, &proc);
	if (r == 0)
		r = validate_process(&c, &proc, NULL);
	if (r < 0)
		return r;
	*ret = proc;
	return 0;
}

int hull_process_load(const char *path, struct hull_spec *owner, struct hull_process *ret,
                      struct hull_error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	r = read_all(path, &buf, &len, err);
	if (r < 0)
		return r;
	return hull_process_load_buffer(path, buf, len, owner, ret, err);
}

int hull_resources_load_buffer(const char *name, const char *buf, size_t len,
                               struct hull_spec *owner, struct hull_resources **ret,
                               struct hull_error *err)
{
	struct spec_ctx c = {.name = name, .buf = buf, .len = len, .err = err};
	json_t *doc;
	int r;

	if (!owner || !owner->priv)
		return hull_err(err, EINVAL, "%s: no spec to attach the resources to", name);
	c.priv = owner->priv;
	r = spec_json_parse(&c, &doc);
	if (r < 0)
		return r;
	r = attach_doc(&c, owner->priv, doc);
	if (r < 0) {
		json_decref(doc);
		return r;
	}
	r = parse_resources(&c, doc, NULL, ret);
	if (r == 0)
		r = validate_resources(&c, *ret, NULL);
	return r;
}

const char *hull_spec_annotation(const struct hull_spec *spec, const char *key)
{
	for (size_t i = 0; spec && i < spec->n_annotations; i++)
		if (strcmp(spec->annotations[i].key, key) == 0)
			return spec->annotations[i].value;
	return NULL;
}
