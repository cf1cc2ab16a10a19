/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON reader for the files this project writes itself: the whole
 * document is parsed into a tree of values. Numbers are kept as doubles
 * and as exact unsigned integers when they are ones.
 */
#ifndef MYMEM_JSON_PARSE_H
#define MYMEM_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_type type;
	bool boolean;
	double number;
	uint64_t u64;		/* exact, when is_u64 */
	bool is_u64;
	char *string;		/* JV_STRING; also an object member's key */
	struct jv *items;	/* JV_ARRAY and JV_OBJECT */
	size_t n;
	char *key;		/* set on the members of an object */
};

/*
 * Parses @text. Returns the root (free it with jv_free()), or NULL with a
 * message naming the line and the problem in @err.
 */
struct jv *jv_parse(const char *text, char *err, size_t errlen);
/* Reads and parses a whole file; the message then names the file. */
struct jv *jv_parse_file(const char *path, char *err, size_t errlen);
void jv_free(struct jv *v);

/* An object's member, or NULL (also when @obj is not an object). */
const struct jv *jv_get(const struct jv *obj, const char *key);
/* The member as a number, string or bool, or @def when absent or of another type. */
uint64_t jv_get_u64(const struct jv *obj, const char *key, uint64_t def);
double jv_get_double(const struct jv *obj, const char *key, double def);
const char *jv_get_string(const struct jv *obj, const char *key, const char *def);
bool jv_get_bool(const struct jv *obj, const char *key, bool def);

#endif /* MYMEM_JSON_PARSE_H */
