#!/bin/sh
# Longer fuzzing: one Jazzer run of one target (a @FuzzTest method) for MINUTES, on the corpus of the runs before it
# (.cifuzz-corpus/); then prints the fuzzing time and libFuzzer executions.
#
# Usage: MINUTES=60 bench/fuzz/run.sh 'NiftiFuzzTest#theReaderReadsOrRefusesAnyFile'
# Environment: MINUTES (default 30), OUT (default bench/out/fuzz: the run's log, <target>.log).
# The run's length is libFuzzer's -max_total_time, given as Jazzer's JUnit arguments (jazzer.internal.arg.N: argv[0],
# then the flag), which override the annotation's maxDuration of 3 min; one long run instead of many short ones saves
# the minute that Maven, the forked JVM and Jazzer's instrumentation take to start each run.
# The log holds libFuzzer's "Done N runs in T second(s)"; a run that found something fails (mvn exits non-zero) and
# leaves the input in the target's Inputs folder (bench/README.md, Fuzzing).
set -eu
cd "$(dirname "$0")/../.."
target=${1:?give a target, e.g. 'NiftiFuzzTest#theReaderReadsOrRefusesAnyFile'}
MINUTES=${MINUTES:-30} OUT=${OUT:-bench/out/fuzz}
mkdir -p "$OUT"
log="$OUT/$(echo "$target" | tr '#' '-').log"
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $target for $MINUTES min"
code=0
JAZZER_FUZZ=1 mvn -B -o test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
	-Djazzer.internal.arg.0=jazzer -Djazzer.internal.arg.1=-max_total_time=$((MINUTES * 60)) >"$log" 2>&1 || code=$?
done_line=$(grep -a -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -n 1 || true)
runs=$(echo "${done_line:-Done 0 runs in 0 second}" | awk '{ print $2 }')
seconds=$(echo "${done_line:-Done 0 runs in 0 second}" | awk '{ print $5 }')
echo "$target: $seconds s fuzzing ($(awk "BEGIN { printf \"%.2f\", $seconds / 3600 }") h), $runs executions, exit $code ($log)"
exit "$code"
