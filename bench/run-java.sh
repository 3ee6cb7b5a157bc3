#!/bin/sh
# Runs a benchmark main class from the test sources with the project's test classpath.
# Usage: bench/run-java.sh [JVM options...] CLASS [args...]; builds offline first (output in bench/out).
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/out
if ! mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=bench/out/classpath.txt -Dmdep.includeScope=test \
	>bench/out/build.log 2>&1; then
	cat bench/out/build.log >&2
	exit 1
fi
exec java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -cp "target/test-classes:target/classes:$(cat bench/out/classpath.txt)" "$@"
