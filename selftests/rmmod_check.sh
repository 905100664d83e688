#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod_load.sh at the size of make check: 5 s of load in phase 1 and 5
# insmod/rmmod cycles (its defaults, 10 s and 20, are for manual runs);
# everything else as rmmod_load.sh says.
RMMOD_LOAD_SECONDS=${RMMOD_LOAD_SECONDS:-5} RMMOD_CYCLES=${RMMOD_CYCLES:-5} \
	exec "$(dirname "$0")/rmmod_load.sh"
