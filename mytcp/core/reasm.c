// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: reassembly decisions and SACK blocks (see reasm.h).
 */
#include "reasm.h"

u8 mytcp_sack_build_finish(struct mytcp_sack_builder *b,
			   struct mytcp_sack_block *blk)
{
	u8 n = 0, i;

	if (b->open)
		mytcp_sack_build_close(b);
	/* RFC 2018 4: the block with the latest arrival goes first. */
	if (b->found && b->max)
		blk[n++] = b->latest;
	for (i = 0; i < b->n_others && n < b->max; i++)
		blk[n++] = b->others[i];
	return n;
}
