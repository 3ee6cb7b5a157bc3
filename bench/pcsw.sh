#!/bin/sh
# Run time of PCSW on a synthetic 4-class 20 x 256 x 256 probability volume.
# Usage: bench/pcsw.sh [runs] [X Y Z]   (from anywhere; builds the test classes offline first)
set -e
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
# two processors, as the CI machines; PCSW itself is single-threaded
exec java -XX:ActiveProcessorCount=2 -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
	io.github.sssfiji.sss.pcsw.PcswBenchmark "$@"
