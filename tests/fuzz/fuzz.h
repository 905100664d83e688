/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer targets: CHECK() aborts on a broken rule,
 * naming it, so that libFuzzer keeps the input as a crash.
 */
#ifndef MYTCP_TESTS_FUZZ_H
#define MYTCP_TESTS_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

#endif /* MYTCP_TESTS_FUZZ_H */
