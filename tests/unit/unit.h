/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny self-written unit test harness for the mytcp core (host only).
 *
 *	TEST(seq_wraps)
 *	{
 *		EXPECT_TRUE(mytcp_seq_before(0xffffffff, 0));
 *		if (!EXPECT_EQ(x, 3))
 *			return;		(stop this test on failure)
 *	}
 *
 * Every EXPECT_* returns true if the check held.  Tests register
 * themselves with a constructor and run in file/line order.  Table-driven
 * tests can register one case per table row with unit_register_case(),
 * each case becoming its own TAP line; TABLE_TEST() runs a table's rows as
 * one test.
 *
 * Output is TAP: "1..N", then "ok N - name" / "not ok N - name" with
 * "# file:line: ..." diagnostics, then "# N passed, N failed".  The runner
 * exits non-zero if anything failed or if no test ran.  An optional
 * argument runs only the tests whose name contains it.
 */
#ifndef MYTCP_TESTS_UNIT_H
#define MYTCP_TESTS_UNIT_H

#include <stdbool.h>
#include <stddef.h>

struct unit_test {
	const char *name;
	const char *file;
	int line;
	void (*fn)(void);
	void (*case_fn)(const void *arg);	/* instead of fn */
	const void *arg;
	unsigned int seq;	/* registration order, for ties */
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
/* Register fn(arg) as a test called name (strings must stay valid). */
void unit_register_case(const char *name, const char *file, int line,
			void (*fn)(const void *arg), const void *arg);

bool unit_expect_eq(long long a, long long b, const char *as, const char *bs,
		    const char *file, int line);
bool unit_expect_ne(long long a, long long b, const char *as, const char *bs,
		    const char *file, int line);
bool unit_expect_true(bool c, const char *cs, const char *file, int line);
bool unit_expect_mem(const void *a, const void *b, size_t n, const char *as,
		     const char *bs, const char *file, int line);
bool unit_expect_str(const char *a, const char *b, const char *as,
		     const char *bs, const char *file, int line);

/* Failures so far in the running test; for TABLE_TEST. */
unsigned int unit_failures(void);
/* Say which row of which table the failures just printed came from. */
void unit_row_failed(const char *table, size_t row);

#define TEST(tname)							\
	static void unit_fn_##tname(void);				\
	static struct unit_test unit_t_##tname = {			\
		.name = #tname,						\
		.file = __FILE__,					\
		.line = __LINE__,					\
		.fn = unit_fn_##tname,					\
	};								\
	__attribute__((constructor)) static void unit_reg_##tname(void)	\
	{								\
		unit_register(&unit_t_##tname);				\
	}								\
	static void unit_fn_##tname(void)

/*
 * TABLE_TEST(name, rows, check): one test that calls check(&rows[i]) for
 * each row of the array rows; a row whose checks fail is named ("rows[i]")
 * after their diagnostics, so a table of cases reads as a table.
 */
#define TABLE_TEST(tname, rows, check)					\
	static void unit_rows_##tname(void)				\
	{								\
		size_t unit_i;						\
									\
		for (unit_i = 0; unit_i < sizeof(rows) / sizeof((rows)[0]); \
		     unit_i++) {					\
			unsigned int unit_f = unit_failures();		\
									\
			check(&(rows)[unit_i]);				\
			if (unit_failures() != unit_f)			\
				unit_row_failed(#rows, unit_i);		\
		}							\
	}								\
	TEST(tname)							\
	{								\
		unit_rows_##tname();					\
	}

#define EXPECT_EQ(a, b)							\
	unit_expect_eq((long long)(a), (long long)(b), #a, #b,		\
		       __FILE__, __LINE__)
#define EXPECT_NE(a, b)							\
	unit_expect_ne((long long)(a), (long long)(b), #a, #b,		\
		       __FILE__, __LINE__)
#define EXPECT_TRUE(c)	unit_expect_true(!!(c), #c, __FILE__, __LINE__)
#define EXPECT_FALSE(c)	unit_expect_true(!(c), "!(" #c ")", __FILE__, __LINE__)
#define EXPECT_MEMEQ(a, b, n)						\
	unit_expect_mem((a), (b), (n), #a, #b, __FILE__, __LINE__)
#define EXPECT_STREQ(a, b)						\
	unit_expect_str((a), (b), #a, #b, __FILE__, __LINE__)

#endif /* MYTCP_TESTS_UNIT_H */
