/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: the one shim that lets the pure protocol files compile both
 * inside the kernel module and on the host (unit tests, fuzzers).
 *
 * Core files include only this header (plus other core headers).  They must
 * not call libc or kernel functions directly; everything they need is either
 * provided here or is one of memcpy/memset/memcmp, which exist in both worlds.
 *
 * Byte order: the core never uses the __be16/__be32 "bitwise" types in its
 * own structures.  Wire data is read and written through the hand-written
 * mytcp_get_be*() / mytcp_put_be*() helpers below, which work on plain byte
 * pointers, need no alignment and behave identically in both worlds.
 */
#ifndef MYTCP_CORE_TYPES_H
#define MYTCP_CORE_TYPES_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/math64.h>

/* 64-bit by 32-bit division: div_u64() in the kernel (no libgcc there). */
#define mytcp_div_u64(a, b)	div_u64((a), (b))

#else /* !__KERNEL__: host build for unit tests and fuzzers */

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Same widths as the kernel's asm-generic/int-ll64.h on every Linux ABI. */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

/*
 * On the host the kernel's "bitwise" byte-order types are plain integers.
 * Core code does not use them; they exist so that headers shared with glue
 * code that mentions them still compile in tests.
 */
typedef u16 __be16;
typedef u32 __be32;

#ifndef BIT
#define BIT(nr)			(1UL << (nr))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#endif

static inline u64 mytcp_div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#endif /* __KERNEL__ */

/* Big-endian (network order) loads and stores, byte by byte. */
static inline u16 mytcp_get_be16(const u8 *p)
{
	return (u16)(((u32)p[0] << 8) | (u32)p[1]);
}

static inline u32 mytcp_get_be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) |
	       ((u32)p[2] << 8) | (u32)p[3];
}

static inline void mytcp_put_be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static inline void mytcp_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/* Type-exact min/max helpers (the kernel's min() has no host twin). */
static inline u32 mytcp_min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

static inline u32 mytcp_max_u32(u32 a, u32 b)
{
	return a > b ? a : b;
}

static inline u64 mytcp_min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

static inline u64 mytcp_max_u64(u64 a, u64 b)
{
	return a > b ? a : b;
}

#endif /* MYTCP_CORE_TYPES_H */
