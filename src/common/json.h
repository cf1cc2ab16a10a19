/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: the writer tracks nesting and commas, so
 * callers only say what comes next. Output is compact, one document per
 * json_begin()/json_end().
 */
#ifndef MYMEM_JSON_H
#define MYMEM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;	/* a key was written: no comma before its value */
	bool error;	/* nesting misuse; the document is not valid */
};

void json_begin(struct json *j, FILE *out);
/* Ends the document with a newline. Returns 0, or -1 after misuse. */
int json_end(struct json *j);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);

/* Inside an object: the key of the next value. */
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s);
/* @s quoted and escaped, straight to @out (for writers that stream JSON by hand). */
void json_write_string(FILE *out, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_double(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

#endif /* MYMEM_JSON_H */
