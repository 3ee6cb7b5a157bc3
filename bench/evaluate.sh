#!/bin/sh
# Times segmentation-metric evaluation (io.github.sssfiji.eval.EvaluateBenchmark) on one synthetic
# 256 x 256 x 20 case with 3 classes, single-threaded. Usage: bench/evaluate.sh [repetitions] [warm-up]
exec "$(dirname "$0")/run-java.sh" -Xmx2g -XX:ActiveProcessorCount=1 io.github.sssfiji.eval.EvaluateBenchmark "$@"
