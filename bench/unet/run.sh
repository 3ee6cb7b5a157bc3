#!/bin/bash
# U-Net training-step benchmark: our DJL U-Net vs the same network in PyTorch (Debian python3-torch),
# same threads, same glibc allocator settings, one fixed batch, CE+Dice loss, SGD(momentum 0.9, wd 1e-4).
# Also: full-width forward/backward parity against PyTorch, and RSS over many DJL steps.
#
# Usage: bench/unet/run.sh            (from the repository root, after `mvn -o compile`)
# Environment knobs (defaults): BATCH=8 SIZE=256 STEPS=10 WARMUP=3 THREADS="2 1"
#   EXTRA="12x224 8x128" (more batch x size cases, space-separated; empty to skip; 8x128 is bench/acdc's)
#   RSS_STEPS=200 RSS_BATCH=2 RSS_SIZE=128 (set RSS_STEPS=0 to skip) PARITY=1 MALLOC_ARENA_MAX=1
set -euo pipefail
cd "$(dirname "$0")/../.."
BATCH=${BATCH:-8}; SIZE=${SIZE:-256}; STEPS=${STEPS:-10}; WARMUP=${WARMUP:-3}; THREADS=${THREADS:-"2 1"}
EXTRA=${EXTRA-"12x224 8x128"}; RSS_STEPS=${RSS_STEPS:-200}; RSS_BATCH=${RSS_BATCH:-2}; RSS_SIZE=${RSS_SIZE:-128}
PARITY=${PARITY:-1}
PY=/usr/bin/python3
# large tensors are reused from the heap instead of being mmap'ed and unmapped every step (djl-notes).
# MALLOC_ARENA_MAX=1: Java runs main() on a thread that is not the process's first one, so libtorch's
# allocations go to a secondary glibc arena made of 64 MB heaps; tensors near or above that size are then
# mmap'ed and page-faulted afresh on every step whatever the thresholds say. One arena (the brk heap) lets
# them be reused. Python allocates on the first thread already; both sides get the same environment.
export MALLOC_MMAP_THRESHOLD_=8589934592 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-1}
export OPT_OUT_TRACKING=true
# idle OpenMP threads spin between operators: on an idle machine that made 2-thread DJL steps 14-22 % faster
# than sleeping threads (PASSIVE), and DJL lost more to the sleeping than PyTorch (its 8x256 ratio was 1.19
# with PASSIVE, 1.05 with ACTIVE). On a busy machine set PASSIVE: spinning threads that share a core ran
# 3-4 times slower (docs/engineering-notes.md). Both sides get the same policy.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY-ACTIVE}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

mvn -B -q -o compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$TMP/cp.txt" >/dev/null
CP="target/classes:$(cat "$TMP/cp.txt")"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "allocator: MALLOC_MMAP_THRESHOLD_=$MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_=$MALLOC_TRIM_THRESHOLD_ MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX; OMP_WAIT_POLICY=$OMP_WAIT_POLICY"

if [ "$PARITY" = 1 ]; then
	echo "== parity, full width (16-32-64-128-256), input 1x1x32x32"
	$PY bench/unet/unet_torch.py parity "$TMP/full.npz" --channels 16,32,64,128,256
	mvn -B -q -o test -Dtest=UNetParityTest -Dsss.unet.parity.fixture="$TMP/full.npz" \
		-Dsss.unet.parity.channels=16,32,64,128,256 -Dsss.test.threads=1 && echo "parity OK (1e-4)"
fi

djl() { java -Dai.djl.offline=true -cp "$CP" bench/unet/UNetBench.java "$@" 2>&1 | grep '^djl'; }
torch() { $PY bench/unet/unet_torch.py bench --batch "$1" --size "$2" --steps "$3" --threads "$4" --warmup "$WARMUP"; }
median() { sed -n 's/.*median_s=\([0-9.]*\).*/\1/p'; }

for case in "${BATCH}x${SIZE}" $EXTRA; do
	b=${case%x*}; s=${case#*x}
	for t in $THREADS; do
		echo "== training step, batch ${b}x1x${s}x${s}, 4 classes, threads $t"
		tt=$(torch "$b" "$s" "$STEPS" "$t"); echo "$tt"
		dd=$(djl "$b" "$s" "$STEPS" "$t" 4 "$WARMUP"); echo "$dd"
		echo "ratio djl/torch (median step time): $(echo "$dd" | median) / $(echo "$tt" | median) = $(
			awk -v d="$(echo "$dd" | median)" -v p="$(echo "$tt" | median)" 'BEGIN { printf "%.3f", d / p }')"
	done
done

if [ "$RSS_STEPS" -gt 0 ]; then
	t=${THREADS%% *}
	echo "== RSS over $RSS_STEPS DJL steps, batch ${RSS_BATCH}x1x${RSS_SIZE}x${RSS_SIZE}, threads $t"
	djl "$RSS_BATCH" "$RSS_SIZE" "$RSS_STEPS" "$t" 4 "$WARMUP"
fi
