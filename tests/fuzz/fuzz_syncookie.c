// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: SYN cookie encoding and decoding (core/syncookie.c).
 *
 * The input gives a MAC, the slot a cookie was made in, an MSS, the slot
 * it comes back in, a TSval clock and the SYN's options. Any cookie
 * decodes to a slot no older than the age allows and an index inside
 * the table; one made within the age decodes to exactly what made it;
 * the options survive the TSval and the TSval never runs ahead.
 */

#include "core/syncookie.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct { u32 mac, slot, back, ts; u16 mss; u8 age, opts; } in;
	struct mytcp_cookie_opts o, d;
	unsigned int idx, i2;
	u32 c, slot, ts;

	if (size < sizeof(in))
		return 0;
	memcpy(&in, data, sizeof(in));

	/* Whatever comes back as a cookie decodes inside the bounds. */
	if (mytcp_cookie_decode(in.mac, in.back, &slot, &i2)) {
		CHECK(in.back - slot <= MYTCP_COOKIE_MAX_AGE);
		CHECK(i2 < MYTCP_COOKIE_NR_MSS);
		CHECK(mytcp_cookie_encode(in.mac, slot, i2) == in.mac);
	}

	idx = mytcp_cookie_mss_index(in.mss);
	CHECK(idx < MYTCP_COOKIE_NR_MSS);
	CHECK(idx == 0 || mytcp_cookie_mss(idx) <= in.mss);
	c = mytcp_cookie_encode(in.mac, in.slot, idx);
	/* Back within the age: exactly what made it. */
	if (in.age % 4 <= MYTCP_COOKIE_MAX_AGE) {
		CHECK(mytcp_cookie_decode(c, in.slot + in.age % 4, &slot, &i2));
		CHECK(slot == in.slot && i2 == idx);
	} else {
		CHECK(!mytcp_cookie_decode(c, in.slot + in.age % 4, &slot,
					   &i2));
	}

	o.wscale_ok = in.opts & 1;
	o.snd_wscale = o.wscale_ok ? (in.opts >> 1) % 15 : 0;
	o.sack_ok = in.opts & 0x80;
	ts = mytcp_cookie_tsval(in.ts, &o);
	CHECK((s32)(ts - in.ts) <= 0);
	CHECK(in.ts - ts <= 2 * MYTCP_COOKIE_TS_MASK + 1);
	mytcp_cookie_ts_decode(ts, &d);
	CHECK(d.wscale_ok == o.wscale_ok && d.snd_wscale == o.snd_wscale &&
	      d.sack_ok == o.sack_ok);
	return 0;
}
