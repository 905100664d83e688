#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# churn.sh at the size of make check: 3 rounds of CHURN_CONNS (2,000 here,
# 10,000 in churn.sh's own default for manual runs), everything else as
# churn.sh says.
CHURN_CONNS=${CHURN_CONNS:-2000} exec "$(dirname "$0")/churn.sh"
