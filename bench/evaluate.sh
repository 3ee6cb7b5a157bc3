#!/bin/sh
# Times segmentation-metric evaluation (io.github.sssfiji.eval.EvaluateBenchmark) on one synthetic
# 256 x 256 x 20 case with 3 classes, single-threaded. Usage: bench/evaluate.sh [repetitions] [warm-up]
# Builds the test classes and the dependency classpath offline first; see bench/README.md.
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/out
if ! mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=bench/out/classpath.txt >bench/out/build.log 2>&1; then
	cat bench/out/build.log >&2
	exit 1
fi
exec java -Xmx2g -XX:ActiveProcessorCount=1 \
	-cp "target/test-classes:target/classes:$(cat bench/out/classpath.txt)" \
	io.github.sssfiji.eval.EvaluateBenchmark "$@"
