// SPDX-License-Identifier: GPL-2.0
/*
 * A recursive-descent JSON parser (RFC 8259), depth-limited so that a
 * hostile file cannot exhaust the stack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse.h"

#define JV_MAX_DEPTH 64

struct parser {
	const char *s, *p;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct parser *ps, const char *what)
{
	int line = 1;
	const char *c;

	if (ps->failed)
		return;
	for (c = ps->s; c < ps->p; c++)
		line += *c == '\n';
	snprintf(ps->err, ps->errlen, "line %d: %s", line, what);
	ps->failed = true;
}

static void skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static bool parse_value(struct parser *ps, struct jv *v, int depth);

static int hex4(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Appends code point @cp as UTF-8 (surrogates are kept as they come). */
static char *put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		*o++ = cp;
	} else if (cp < 0x800) {
		*o++ = 0xc0 | (cp >> 6);
		*o++ = 0x80 | (cp & 0x3f);
	} else {
		*o++ = 0xe0 | (cp >> 12);
		*o++ = 0x80 | ((cp >> 6) & 0x3f);
		*o++ = 0x80 | (cp & 0x3f);
	}
	return o;
}

static char *parse_string(struct parser *ps)
{
	const char *p = ps->p + 1, *q;
	char *out, *o;

	/* Decoded, a string is never longer than its source. */
	for (q = p; *q && *q != '"'; q++)
		if (*q == '\\' && q[1])
			q++;
	out = malloc(q - p + 1);
	if (!out) {
		fail(ps, "out of memory");
		return NULL;
	}
	for (o = out; *p != '"'; p++) {
		if (!*p || (unsigned char)*p < 0x20) {
			ps->p = p;
			fail(ps, "unterminated string");
			free(out);
			return NULL;
		}
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			int cp = hex4(p + 1);

			if (cp < 0) {
				ps->p = p;
				fail(ps, "bad \\u escape");
				free(out);
				return NULL;
			}
			o = put_utf8(o, cp);
			p += 4;
			break;
		}
		default:
			ps->p = p;
			fail(ps, "bad escape in string");
			free(out);
			return NULL;
		}
	}
	*o = '\0';
	ps->p = p + 1;
	return out;
}

static bool parse_number(struct parser *ps, struct jv *v)
{
	const char *start = ps->p;
	char *end;

	errno = 0;
	v->type = JV_NUMBER;
	v->number = strtod(start, &end);
	if (end == start || errno == ERANGE) {
		fail(ps, "bad number");
		return false;
	}
	/* A plain non-negative integer: also keep it exact. */
	if (strspn(start, "0123456789") == (size_t)(end - start)) {
		errno = 0;
		v->u64 = strtoull(start, NULL, 10);
		v->is_u64 = errno == 0;
	}
	ps->p = end;
	return true;
}

static bool parse_items(struct parser *ps, struct jv *v, int depth, bool object)
{
	char close = object ? '}' : ']';
	size_t cap = 0;

	v->type = object ? JV_OBJECT : JV_ARRAY;
	ps->p++;
	skip_space(ps);
	if (*ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		struct jv *item;
		char *key = NULL;

		skip_space(ps);
		if (object) {
			if (*ps->p != '"') {
				fail(ps, "expected a member name");
				return false;
			}
			key = parse_string(ps);
			if (!key)
				return false;
			skip_space(ps);
			if (*ps->p != ':') {
				free(key);
				fail(ps, "expected ':'");
				return false;
			}
			ps->p++;
		}
		if (v->n == cap) {
			struct jv *grown;

			cap = cap ? cap * 2 : 8;
			grown = realloc(v->items, cap * sizeof(*grown));
			if (!grown) {
				free(key);
				fail(ps, "out of memory");
				return false;
			}
			v->items = grown;
		}
		item = &v->items[v->n++];
		memset(item, 0, sizeof(*item));
		item->key = key;
		if (!parse_value(ps, item, depth + 1))
			return false;
		skip_space(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			return true;
		}
		fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
		return false;
	}
}

static bool parse_word(struct parser *ps, const char *word)
{
	size_t len = strlen(word);

	if (strncmp(ps->p, word, len)) {
		fail(ps, "unexpected character");
		return false;
	}
	ps->p += len;
	return true;
}

static bool parse_value(struct parser *ps, struct jv *v, int depth)
{
	if (depth > JV_MAX_DEPTH) {
		fail(ps, "nested too deeply");
		return false;
	}
	skip_space(ps);
	switch (*ps->p) {
	case '{':
		return parse_items(ps, v, depth, true);
	case '[':
		return parse_items(ps, v, depth, false);
	case '"':
		v->type = JV_STRING;
		v->string = parse_string(ps);
		return v->string != NULL;
	case 't':
		v->type = JV_BOOL;
		v->boolean = true;
		return parse_word(ps, "true");
	case 'f':
		v->type = JV_BOOL;
		return parse_word(ps, "false");
	case 'n':
		v->type = JV_NULL;
		return parse_word(ps, "null");
	case '\0':
		fail(ps, "unexpected end of input");
		return false;
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps, v);
		fail(ps, "unexpected character");
		return false;
	}
}

static void jv_clear(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		jv_clear(&v->items[i]);
	free(v->items);
	free(v->string);
	free(v->key);
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	jv_clear(v);
	free(v);
}

struct jv *jv_parse(const char *text, char *err, size_t errlen)
{
	struct parser ps = { .s = text, .p = text, .err = err, .errlen = errlen };
	struct jv *root = calloc(1, sizeof(*root));

	if (!root) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (parse_value(&ps, root, 0)) {
		skip_space(&ps);
		if (!*ps.p)
			return root;
		fail(&ps, "text after the document");
	}
	jv_free(root);
	return NULL;
}

struct jv *jv_parse_file(const char *path, char *err, size_t errlen)
{
	char msg[200], *text = NULL;
	size_t len = 0, cap = 0, got;
	struct jv *v = NULL;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap) {
			char *grown;

			cap = cap ? cap * 2 : 65536;
			grown = realloc(text, cap);
			if (!grown)
				break;
			text = grown;
		}
		got = fread(text + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	if (ferror(f) || !text || len + 1 > cap) {
		snprintf(err, errlen, "%s: cannot read it", path);
	} else if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: not JSON (a NUL byte)", path);
	} else {
		text[len] = '\0';
		v = jv_parse(text, msg, sizeof(msg));
		if (!v)
			snprintf(err, errlen, "%s: not valid JSON: %s", path, msg);
	}
	fclose(f);
	free(text);
	return v;
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JV_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->items[i].key, key))
			return &obj->items[i];
	return NULL;
}

uint64_t jv_get_u64(const struct jv *obj, const char *key, uint64_t def)
{
	const struct jv *v = jv_get(obj, key);

	return v && v->type == JV_NUMBER && v->is_u64 ? v->u64 : def;
}

double jv_get_double(const struct jv *obj, const char *key, double def)
{
	const struct jv *v = jv_get(obj, key);

	return v && v->type == JV_NUMBER ? v->number : def;
}

const char *jv_get_string(const struct jv *obj, const char *key, const char *def)
{
	const struct jv *v = jv_get(obj, key);

	return v && v->type == JV_STRING ? v->string : def;
}

bool jv_get_bool(const struct jv *obj, const char *key, bool def)
{
	const struct jv *v = jv_get(obj, key);

	return v && v->type == JV_BOOL ? v->boolean : def;
}
