#!/bin/sh
# Run time of PCSW on a synthetic 4-class 20 x 256 x 256 probability volume, with each rule (chains, continuity).
# Usage: bench/pcsw.sh [runs] [X Y Z]; two processors, as the CI machines (PCSW itself is single-threaded).
exec "$(dirname "$0")/run-java.sh" -XX:ActiveProcessorCount=2 io.github.sssfiji.sss.pcsw.PcswBenchmark "$@"
