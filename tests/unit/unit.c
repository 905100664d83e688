// SPDX-License-Identifier: GPL-2.0
/*
 * The runner of the tiny unit test harness, see unit.h.
 */
#include "unit.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNIT_HAVE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define UNIT_HAVE_ASAN 1
#endif
#ifdef UNIT_HAVE_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

static struct unit_test *unit_head;
static unsigned int unit_count;
static unsigned int unit_cur_failures;

/*
 * What is running, so that a crash still prints a "not ok" line.  The
 * handlers run synchronously inside the test (a fault or an abort), after
 * these were stored before the call through a function pointer.
 */
static const char *unit_running;
static unsigned int unit_running_nr, unit_passed, unit_failed;

static void unit_put(const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t w = write(STDOUT_FILENO, s, len);

		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

static void unit_put_uint(unsigned int v)
{
	char buf[16];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	unit_put(buf + i);
}

/* Async-signal-safe: only write(2). */
static void unit_report_crash(const char *why)
{
	if (!unit_running)
		return;
	unit_put("not ok ");
	unit_put_uint(unit_running_nr);
	unit_put(" - ");
	unit_put(unit_running);
	unit_put(" # crashed: ");
	unit_put(why);
	unit_put("\n# ");
	unit_put_uint(unit_passed);
	unit_put(" passed, ");
	unit_put_uint(unit_failed + 1);
	unit_put(" failed\n");
	unit_running = NULL;
}

#ifdef UNIT_HAVE_ASAN
static void unit_sanitizer_died(void)
{
	unit_report_crash("sanitizer error");
}
#endif

static void unit_signal(int sig)
{
	unit_report_crash(sig == SIGSEGV ? "SIGSEGV" :
			  sig == SIGABRT ? "SIGABRT" :
			  sig == SIGFPE ? "SIGFPE" : "signal");
	signal(sig, SIG_DFL);
	raise(sig);
}

static void unit_catch_crashes(void)
{
	static const int sigs[] = {
		SIGSEGV, SIGABRT, SIGFPE, SIGBUS, SIGILL, 0
	};
	size_t i;

	/* line-buffered, so a crash loses no diagnostics */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; sigs[i]; i++)
		signal(sigs[i], unit_signal);
#ifdef UNIT_HAVE_ASAN
	/* sanitizer errors without abort_on_error=1 end in _exit() */
	__sanitizer_set_death_callback(unit_sanitizer_died);
#endif
}

void unit_register(struct unit_test *t)
{
	t->seq = unit_count++;
	t->next = unit_head;
	unit_head = t;
}

void unit_register_case(const char *name, const char *file, int line,
			void (*fn)(const void *arg), const void *arg)
{
	struct unit_test *t = calloc(1, sizeof(*t));

	if (!t) {
		fprintf(stderr, "unit: out of memory\n");
		exit(2);
	}
	t->name = name;
	t->file = file;
	t->line = line;
	t->case_fn = fn;
	t->arg = arg;
	unit_register(t);
}

unsigned int unit_failures(void)
{
	return unit_cur_failures;
}

void unit_row_failed(const char *table, size_t row)
{
	printf("#   (in %s[%zu])\n", table, row);
}

static void unit_diag_at(const char *file, int line)
{
	unit_cur_failures++;
	printf("# %s:%d: ", file, line);
}

bool unit_expect_eq(long long a, long long b, const char *as, const char *bs,
		    const char *file, int line)
{
	if (a == b)
		return true;
	unit_diag_at(file, line);
	printf("EXPECT_EQ(%s, %s) failed\n", as, bs);
	printf("#   left:  %lld (0x%llx)\n", a, (unsigned long long)a);
	printf("#   right: %lld (0x%llx)\n", b, (unsigned long long)b);
	return false;
}

bool unit_expect_ne(long long a, long long b, const char *as, const char *bs,
		    const char *file, int line)
{
	if (a != b)
		return true;
	unit_diag_at(file, line);
	printf("EXPECT_NE(%s, %s) failed: both %lld (0x%llx)\n", as, bs, a,
	       (unsigned long long)a);
	return false;
}

bool unit_expect_true(bool c, const char *cs, const char *file, int line)
{
	if (c)
		return true;
	unit_diag_at(file, line);
	printf("EXPECT_TRUE(%s) failed\n", cs);
	return false;
}

static void unit_hexdump(const char *tag, const unsigned char *p, size_t n)
{
	size_t i;

	printf("#   %s:", tag);
	for (i = 0; i < n; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

bool unit_expect_mem(const void *a, const void *b, size_t n, const char *as,
		     const char *bs, const char *file, int line)
{
	if (!memcmp(a, b, n))
		return true;
	unit_diag_at(file, line);
	printf("EXPECT_MEMEQ(%s, %s, %zu) failed\n", as, bs, n);
	unit_hexdump("left ", a, n);
	unit_hexdump("right", b, n);
	return false;
}

bool unit_expect_str(const char *a, const char *b, const char *as,
		     const char *bs, const char *file, int line)
{
	if (a && b && !strcmp(a, b))
		return true;
	unit_diag_at(file, line);
	printf("EXPECT_STREQ(%s, %s) failed: \"%s\" vs \"%s\"\n", as, bs,
	       a ? a : "(null)", b ? b : "(null)");
	return false;
}

static int unit_cmp(const void *pa, const void *pb)
{
	const struct unit_test *a = *(const struct unit_test * const *)pa;
	const struct unit_test *b = *(const struct unit_test * const *)pb;
	int c = strcmp(a->file, b->file);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	struct unit_test **tests, *t;
	unsigned int i, n = 0, passed = 0, failed = 0;

	tests = calloc(unit_count ? unit_count : 1, sizeof(*tests));
	if (!tests)
		return 2;
	for (t = unit_head; t; t = t->next)
		if (!filter || strstr(t->name, filter))
			tests[n++] = t;
	qsort(tests, n, sizeof(*tests), unit_cmp);
	unit_catch_crashes();

	printf("1..%u\n", n);
	for (i = 0; i < n; i++) {
		unit_cur_failures = 0;
		fflush(stdout);
		unit_running_nr = i + 1;
		unit_running = tests[i]->name;
		if (tests[i]->case_fn)
			tests[i]->case_fn(tests[i]->arg);
		else
			tests[i]->fn();
		unit_running = NULL;
		if (unit_cur_failures) {
			failed++;
			printf("not ok %u - %s\n", i + 1, tests[i]->name);
		} else {
			passed++;
			printf("ok %u - %s\n", i + 1, tests[i]->name);
		}
		unit_passed = passed;
		unit_failed = failed;
	}
	printf("# %u passed, %u failed\n", passed, failed);
	free(tests);
	/* Running no test at all is a failure too. */
	return failed || !n ? 1 : 0;
}
