#!/bin/sh
# ACDC benchmark: trains each mode on ../shared/data/acdc (UniMatch split, labelled cases only for
# "supervised") with the same wall-clock budget, then summarises validation Dice per class, iterations,
# time per iteration, resident memory at the first and last validation, and how fast the machine was
# (warm-up step time, CPU time stolen by the hypervisor) (bench/acdc/summarise.py).
#
# Usage: bench/acdc/run.sh [MODE ...]      MODE: supervised consistency sss sss-sam2 (default: all four)
# Environment: BUDGET (minutes per mode, default 60; 0: none), ITERATIONS (per mode, default 1000000: the budget
#   ends the run; with BUDGET=0 a run of that many iterations, its learning rate annealed over them), SPLIT (1|3|7,
#   default 3), THREADS (default 2), PARALLEL (1 = run the modes side by side, each with THREADS threads; default 0 =
#   one after another),
#   DATA (default ../shared/data/acdc), OUT (default bench/out/acdc), CONFIG (default bench/acdc/unet.json),
#   SAM2_CONFIG (default bench/acdc/sam2-micro.json), SEED (default 0), JAVA_HEAP (default 3g: a capped heap
#   settles, so the resident memory between validations shows the native side), OMP_WAIT_POLICY (default
#   ACTIVE one mode at a time, PASSIVE side by side; see bench/README.md).
set -eu
cd "$(dirname "$0")/../.."
BUDGET=${BUDGET:-60} ITERATIONS=${ITERATIONS:-1000000} SPLIT=${SPLIT:-3} THREADS=${THREADS:-2} PARALLEL=${PARALLEL:-0} SEED=${SEED:-0}
DATA=${DATA:-../shared/data/acdc} OUT=${OUT:-bench/out/acdc}
JAVA_HEAP=${JAVA_HEAP:-3g} CONFIG=${CONFIG:-bench/acdc/unet.json} SAM2_CONFIG=${SAM2_CONFIG:-bench/acdc/sam2-micro.json}
MODES=${*:-"supervised consistency sss sss-sam2"}
# One mode alone on an idle machine: libtorch's idle OpenMP threads spin between operators, which made a
# U-Net step at 2 threads 14-22 % faster than sleeping ones. Side by side they must sleep, or spinning
# threads take the cores the other mode needs (docs/engineering-notes.md).
if [ "$PARALLEL" = 1 ]; then OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}; else OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-ACTIVE}; fi
[ -d "$DATA" ] || { echo "bench/acdc: no ACDC data at $DATA (set DATA)" >&2; exit 2; }
[ -f target/sss-app.jar ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
echo "# $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
	"load $(cut -d' ' -f1-3 /proc/loadavg), budget $BUDGET min, $ITERATIONS iterations at most, split $SPLIT, threads $THREADS, parallel $PARALLEL," \
	"OMP_WAIT_POLICY $OMP_WAIT_POLICY" | tee "$OUT/header.txt"
run_mode() {
	mode=$1
	case $mode in
		sss-sam2) args="--backbone sam2-micro --mode sss --config $SAM2_CONFIG" ;;
		supervised|consistency|sss) args="--backbone unet --mode $mode --config $CONFIG" ;;
		*) echo "bench/acdc: unknown mode $mode" >&2; return 2 ;;
	esac
	rm -rf "$OUT/$mode"
	# the machine's CPU accounting before and after: summarise.py reports the time stolen by the hypervisor
	grep '^cpu ' /proc/stat >"$OUT/$mode.cpu"
	# glibc: one arena and thresholds high enough that libtorch's tensors are reused from the heap instead of
	# being mapped and page-faulted afresh every step (docs/engineering-notes.md)
	# shellcheck disable=SC2086 # args is a word list
	MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=8589934592 MALLOC_TRIM_THRESHOLD_=17179869184 OMP_WAIT_POLICY=$OMP_WAIT_POLICY OMP_NUM_THREADS=$THREADS java -Xmx"$JAVA_HEAP" -Dai.djl.offline=true -jar target/sss-app.jar train \
		--data "$DATA" --split "$SPLIT" $args --budget-minutes "$BUDGET" --iterations "$ITERATIONS" --threads "$THREADS" --seed "$SEED" \
		--out "$OUT/$mode" >"$OUT/$mode.log" 2>&1 || echo "bench/acdc: $mode failed, see $OUT/$mode.log" >&2
	grep '^cpu ' /proc/stat >>"$OUT/$mode.cpu"
}
for mode in $MODES; do
	if [ "$PARALLEL" = 1 ]; then run_mode "$mode" & else run_mode "$mode"; fi
done
wait
/usr/bin/python3 bench/acdc/summarise.py "$OUT" $MODES | tee "$OUT/summary.md"
