#!/bin/sh
# Longer fuzzing: runs one Jazzer target (a @FuzzTest method) again and again, each run the maxDuration of its
# annotation (3 min) with the corpus of the runs before it (.cifuzz-corpus/), until MINUTES have passed or a run
# ends with a finding; then prints the target's fuzzing time and libFuzzer executions in all.
#
# Usage: MINUTES=60 bench/fuzz/run.sh 'NiftiFuzzTest#theReaderReadsOrRefusesAnyFile'
# Environment: MINUTES (default 30), OUT (default bench/out/fuzz: one log per run, <target>-<k>.log).
# Each run's log holds libFuzzer's "Done N runs in T second(s)"; a run that found something fails (mvn exits non-zero)
# and leaves the input in the target's Inputs folder (bench/README.md, Fuzzing).
set -eu
cd "$(dirname "$0")/../.."
target=${1:?give a target, e.g. 'NiftiFuzzTest#theReaderReadsOrRefusesAnyFile'}
MINUTES=${MINUTES:-30} OUT=${OUT:-bench/out/fuzz}
mkdir -p "$OUT"
name=$(echo "$target" | tr '#' '-')
end=$(( $(date +%s) + MINUTES * 60 ))
k=0 runs=0 seconds=0 code=0
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $target for $MINUTES min"
while [ "$(date +%s)" -lt "$end" ]; do
	k=$((k + 1))
	log="$OUT/$name-$k.log"
	code=0
	JAZZER_FUZZ=1 mvn -B -o test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || code=$?
	done_line=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -n 1 || true)
	if [ -n "$done_line" ]; then
		runs=$((runs + $(echo "$done_line" | awk '{ print $2 }')))
		seconds=$((seconds + $(echo "$done_line" | awk '{ print $5 }')))
	fi
	echo "run $k: exit $code, ${done_line:-no Done line} ($log)"
	[ "$code" -eq 0 ] || break
done
echo "$target: $k runs of Jazzer, $seconds s fuzzing ($(awk "BEGIN { printf \"%.2f\", $seconds / 3600 }") h), $runs executions, last exit $code"
exit "$code"
