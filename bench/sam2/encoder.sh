#!/bin/sh
# SAM 2 image encoder forward (Hiera trunk + FPN neck, random weights) on DJL, and the same encoder in
# Debian's PyTorch (bench/sam2/hiera_torch.py) when /usr/bin/python3 can import torch: real Hiera-T and
# Hiera-S at 1024 and 512, the fixture's micro widths at 256, at 1 and 2 threads. One process per case,
# so VmHWM is that case's peak. Both sides run with OMP_WAIT_POLICY=PASSIVE and the same thread count.
# Usage: bench/sam2/encoder.sh [cases...]   case = config:size:runs:warmup (default: the table below)
# Output: CSV lines side,config,size,threads,median_ms,min_ms,params,vmhwm_mb (also bench/out/sam2-encoder.csv).
set -eu
cd "$(dirname "$0")/../.."
mkdir -p bench/out
if ! mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=bench/out/classpath.txt -Dmdep.includeScope=test \
	>bench/out/build.log 2>&1; then
	cat bench/out/build.log >&2
	exit 1
fi
CP="target/test-classes:target/classes:$(cat bench/out/classpath.txt)"
CASES=${*:-"tiny:1024:3:1 small:1024:3:1 tiny:512:5:1 small:512:5:1 micro:256:20:3"}
TORCH=no
if /usr/bin/python3 -c "import torch" 2>/dev/null; then TORCH=yes; fi
OUT=bench/out/sam2-encoder.csv
echo "# $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" | tee "$OUT"
echo "side,config,size,threads,median_ms,min_ms,params,vmhwm_mb" | tee -a "$OUT"
for c in $CASES; do
	IFS=: read -r config size runs warmup <<CASE
$c
CASE
	for threads in 1 2; do
		export OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads OMP_WAIT_POLICY=PASSIVE
		line=$(java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads="$threads" \
			-Dai.djl.pytorch.num_interop_threads=1 -cp "$CP" io.github.sssfiji.model.sam2.modeling.Sam2EncoderBenchmark \
			"$config" "$size" "$runs" "$warmup" 2>/dev/null | tail -1)
		echo "djl,$line" | tee -a "$OUT"
		if [ "$TORCH" = yes ]; then
			echo "torch,$(/usr/bin/python3 bench/sam2/hiera_torch.py "$config" "$size" "$threads" "$runs" "$warmup")" | tee -a "$OUT"
		fi
	done
done
echo "# done $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
