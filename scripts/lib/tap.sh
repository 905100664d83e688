# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# TAP bookkeeping of scripts/check and scripts/check-debug. Sourced; the
# caller sets "logs" (where step logs go) before using step.

n=0 passed=0 failed=0 skipped=0
start=$(date +%s)

result() {	# result STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ] && [[ $2 == *"# SKIP"* ]]; then
		echo "ok $n - $2"
		skipped=$((skipped + 1))
	elif [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
		passed=$((passed + 1))
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# step DESCRIPTION CMD...: one test point; on failure show the log's tail.
step() {
	local what=$1 log rc
	shift
	# shellcheck disable=SC2154 # set by the caller
	log=$logs/$(echo "$what" | tr -c '[:alnum:].-' '_').log
	"$@" >"$log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || tail -n 40 "$log" | sed 's/^/# /'
	result $rc "$what"
	return $rc
}

# retap PREFIX: re-emit a TAP stream's top-level results as our points.
retap() {
	local prefix=$1 line re='^(not )?ok [0-9]+ (- )?(.*)$'
	while IFS= read -r line; do
		line=${line%$'\r'}
		[[ $line =~ $re ]] || continue
		if [ -n "${BASH_REMATCH[1]}" ]; then
			result 1 "$prefix${BASH_REMATCH[3]}"
		else
			result 0 "$prefix${BASH_REMATCH[3]}"
		fi
	done
}

# selftests_report PREFIX LOG RC T0 TEST...: the points of one VM run of
# scripts/vm/run-selftests (vm-run's status RC, started at T0): each
# test's result, a failure for each test that never reported (the VM
# died), the end of each failed test's own output (so that a CI log
# alone says why), and one point for the run itself.
selftests_report() {
	local prefix=$1 log=$2 rc=$3 t0=$4 t
	shift 4
	retap "$prefix" <"$log"
	for t in "$@"; do
		grep -q "^\(not \)\?ok [0-9]* selftests: mytcp: $t\b" \
			<(tr -d '\r' <"$log") ||
			result 1 "${prefix}selftests: mytcp: $t # never reported"
	done
	tr -d '\r' <"$log" | awk '
		/^# selftests: mytcp: / { n = 0; next }
		/^not ok [0-9]+ selftests: mytcp: / {
			print "# --- " $0
			for (i = (n > 30 ? n - 30 : 0); i < n; i++)
				print "# " buf[i % 30]
			n = 0; next
		}
		/^ok [0-9]+ selftests: mytcp: / { n = 0; next }
		{ buf[n % 30] = $0; n++ }'
	[ "$rc" -eq 0 ] ||
		grep -aE 'FAIL|not ok|vm-run|dmesg|BUG|WARNING|Oops|KASAN|KFENCE|ODEBUG|kmemleak' \
			"$log" | tr -d '\r' | tail -n 40 | sed 's/^/# /'
	result "$rc" "${prefix}module unloaded, dmesg clean (vm-run exit $rc, $(($(date +%s) - t0)) s)"
}

# tap_summary LOGDIR: the closing lines; fails if any point failed.
tap_summary() {
	echo "# wall time $(($(date +%s) - start)) s; logs in $1/"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
}
