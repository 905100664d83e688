/* SPDX-License-Identifier: GPL-2.0 */
/*
 * getopt() options that only store their argument, as a table: one row
 * per option instead of a switch case each. A program's main() keeps a
 * switch for the options that do more (parse an address, pick a mode).
 * Used by interop_peer and lifetime_load.
 */
#ifndef MYTCP_SELFTEST_OPT_TABLE_H
#define MYTCP_SELFTEST_OPT_TABLE_H

#include <stdbool.h>
#include <stdlib.h>
#include <linux/types.h>

enum opt_kind {
	OPT_FLAG,	/* bool: set, no argument */
	OPT_STR,	/* const char *: the argument itself */
	OPT_INT,	/* int: atoi() */
	OPT_LONG,	/* long: atol() */
	OPT_DOUBLE,	/* double: atof() */
	OPT_U64,	/* __u64: the caller's number parser */
	OPT_UINT,	/* unsigned int: the caller's number parser */
	OPT_USHORT,	/* unsigned short: the caller's number parser */
};

struct opt_row {
	int c;			/* getopt()'s character; 0 ends the table */
	enum opt_kind kind;
	void *dst;
};

/*
 * Store @arg where the row for option @c says; @num parses OPT_U64,
 * OPT_UINT and OPT_USHORT arguments (NULL if the table has none).
 * Returns false if the table has no row for @c.
 */
static inline bool opt_store(const struct opt_row *t, int c, const char *arg,
			     __u64 (*num)(const char *))
{
	for (; t->c; t++) {
		if (t->c != c)
			continue;
		switch (t->kind) {
		case OPT_FLAG:
			*(bool *)t->dst = true;
			break;
		case OPT_STR:
			*(const char **)t->dst = arg;
			break;
		case OPT_INT:
			*(int *)t->dst = atoi(arg);
			break;
		case OPT_LONG:
			*(long *)t->dst = atol(arg);
			break;
		case OPT_DOUBLE:
			*(double *)t->dst = atof(arg);
			break;
		case OPT_U64:
			*(__u64 *)t->dst = num(arg);
			break;
		case OPT_UINT:
			*(unsigned int *)t->dst = num(arg);
			break;
		case OPT_USHORT:
			*(unsigned short *)t->dst = num(arg);
			break;
		}
		return true;
	}
	return false;
}

#endif /* MYTCP_SELFTEST_OPT_TABLE_H */
