#!/usr/bin/env bash
# GPU check of SSS: SAM-2 parity on the GPU, and a training step timed on the GPU and on the CPU.
#
# Usage: bench/gpu/check.sh [PARITY_FIXTURE_DIR]
#   PARITY_FIXTURE_DIR  a parity fixture folder (default: $SSS_SHARED_DIR/fixtures/sam2-parity,
#                       SSS_SHARED_DIR defaulting to ../shared beside the repository)
# Environment: PYTHON (python3), JAVA (java), ITERATIONS (20), CROP (128), BATCH (8).
# Needs: target/sss-app.jar (mvn -B -o package -DskipTests), an NVIDIA GPU with its driver, and a
# local CUDA build of PyTorch whose version has a DJL pytorch-jni (torch 2.7.1 + CUDA 12.8 is the one
# the jar already carries: pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128).
#
# DJL's engine ships only a CPU libtorch on Maven Central, so the GPU run borrows the local PyTorch's
# libtorch (torch/lib): PYTORCH_LIBRARY_PATH points DJL at it, PYTORCH_VERSION names its version (for
# the matching JNI glue, pytorch-jni <torch version>-<DJL version>) and PYTORCH_FLAVOR its build
# (cu128, or cu128-precxx11 for an old-ABI build); without the flavour DJL assumes cpu-precxx11. The
# JNI library of that version and flavour is put into a private DJL cache first, so nothing is
# downloaded. Exit code 0 when the GPU was used and parity passed; 1 otherwise, with the reason.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

die() {
	echo "bench/gpu/check.sh: FAILED: $*" >&2
	exit 1
}

JAVA=${JAVA:-java}
PYTHON=${PYTHON:-python3}
ITERATIONS=${ITERATIONS:-20}
CROP=${CROP:-128}
BATCH=${BATCH:-8}
JAR=$ROOT/target/sss-app.jar
FIXTURE=${1:-${SSS_SHARED_DIR:-$ROOT/../shared}/fixtures/sam2-parity}
OUT=$ROOT/target/gpu-check
DJL_VERSION=$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' pom.xml | head -n 1)

[ -f "$JAR" ] || die "$JAR not found; build it with: mvn -B -o package -DskipTests"
[ -d "$FIXTURE" ] || die "parity fixture folder $FIXTURE not found; give it as the first argument"
[ -n "$DJL_VERSION" ] || die "no <djl.version> in pom.xml"
command -v "$JAVA" >/dev/null || die "no $JAVA on the PATH"

# 1. an NVIDIA GPU that the driver sees
command -v nvidia-smi >/dev/null || die "no nvidia-smi: no NVIDIA driver on this machine"
GPU=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -n 1) || true
[ -n "$GPU" ] || die "nvidia-smi lists no GPU"
echo "GPU: $GPU"

# 2. a CUDA build of PyTorch: its lib folder, version, CUDA version and C++ ABI
command -v "$PYTHON" >/dev/null || die "no $PYTHON on the PATH (set PYTHON to the interpreter that has torch)"
TORCH_INFO=$("$PYTHON" -c '
import os, torch
print(os.path.join(os.path.dirname(torch.__file__), "lib"))
print(torch.__version__.split("+")[0])
print(torch.version.cuda or "")
print(int(torch.compiled_with_cxx11_abi()))
print(int(torch.cuda.is_available()))
' 2>&1) || die "$PYTHON cannot import torch: $TORCH_INFO"
{
	read -r TORCH_LIB
	read -r TORCH_VERSION
	read -r TORCH_CUDA
	read -r TORCH_CXX11
	read -r TORCH_SEES_GPU
} <<<"$TORCH_INFO"
echo "PyTorch: $TORCH_VERSION, CUDA ${TORCH_CUDA:-none}, libs in $TORCH_LIB"
[ -n "$TORCH_CUDA" ] || die "torch $TORCH_VERSION in $TORCH_LIB is a CPU-only build; install a CUDA build"
[ -f "$TORCH_LIB/libtorch.so" ] || die "$TORCH_LIB has no libtorch.so"
[ -f "$TORCH_LIB/libtorch_cuda.so" ] || die "$TORCH_LIB has no libtorch_cuda.so: not a CUDA libtorch"
[ "$TORCH_SEES_GPU" = 1 ] || die "torch $TORCH_VERSION (CUDA $TORCH_CUDA) sees no GPU: driver $GPU too old for CUDA $TORCH_CUDA?"

# 3. the DJL JNI glue for that version and flavour
FLAVOR=cu$(echo "$TORCH_CUDA" | tr -d .)
[ "$TORCH_CXX11" = 1 ] || FLAVOR=$FLAVOR-precxx11
case $(uname -m) in
x86_64) CLASSIFIER=linux-x86_64 ;;
aarch64) CLASSIFIER=linux-aarch64 ;;
*) die "unsupported machine $(uname -m)" ;;
esac
JNI_VERSION=$TORCH_VERSION-$DJL_VERSION
# the app jar carries the pytorch-jni of pom.xml; another torch version needs its own from Maven
JAR_JNI=$("$PYTHON" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("jnilib/pytorch.properties").decode())' "$JAR" |
	sed -n 's/^jni_version=//p' | tr -d '\r') || true
if [ "$JAR_JNI" = "$JNI_VERSION" ]; then
	JNI_JAR=$JAR
else
	JNI_JAR=$HOME/.m2/repository/ai/djl/pytorch/pytorch-jni/$JNI_VERSION/pytorch-jni-$JNI_VERSION.jar
	if [ ! -f "$JNI_JAR" ] && command -v mvn >/dev/null; then
		mvn -B -q dependency:get -Dartifact="ai.djl.pytorch:pytorch-jni:$JNI_VERSION" >/dev/null 2>&1 || true
	fi
	[ -f "$JNI_JAR" ] || die "torch $TORCH_VERSION needs ai.djl.pytorch:pytorch-jni:$JNI_VERSION, which is neither in $JAR ($JAR_JNI) nor in ~/.m2 (and could not be downloaded); install torch $(echo "$JAR_JNI" | cut -d- -f1) instead"
fi
CACHE=$OUT/djl-cache
JNI_DIR=$CACHE/pytorch/$TORCH_VERSION-$FLAVOR-$CLASSIFIER
mkdir -p "$JNI_DIR"
JNI_ERROR=$("$PYTHON" - "$JNI_JAR" "$CLASSIFIER" "$FLAVOR" "$JNI_DIR/$DJL_VERSION-libdjl_torch.so" <<'PY' 2>&1
import sys, zipfile
jar, classifier, flavor, target = sys.argv[1:]
with zipfile.ZipFile(jar) as z:
    names = z.namelist()
    entry = "jnilib/%s/%s/libdjl_torch.so" % (classifier, flavor)
    if entry not in names:
        found = sorted({n.split("/")[2] for n in names if n.startswith("jnilib/%s/" % classifier) and n.endswith("libdjl_torch.so")})
        sys.exit("%s has no %s (flavours there: %s)" % (jar, entry, " ".join(found) or "none"))
    with open(target, "wb") as f:
        f.write(z.read(entry))
PY
) || die "no DJL $DJL_VERSION JNI library for torch $TORCH_VERSION $FLAVOR: $JNI_ERROR"

export PYTORCH_LIBRARY_PATH=$TORCH_LIB PYTORCH_VERSION=$TORCH_VERSION PYTORCH_FLAVOR=$FLAVOR ENGINE_CACHE_DIR=$CACHE
export LD_LIBRARY_PATH=$TORCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export MALLOC_ARENA_MAX=1
echo "DJL: PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR"
mkdir -p "$OUT"

# 4. parity on the GPU (device auto must pick it)
PARITY_CODE=0
"$JAVA" -jar "$JAR" parity "$FIXTURE" --device auto >"$OUT/parity.log" 2>&1 || PARITY_CODE=$?
cat "$OUT/parity.log"
grep -q '^parity of .* on gpu(' "$OUT/parity.log" || die "parity did not run on the GPU (see $OUT/parity.log)"

# 5. training steps on each device; the time is the trainer's own (data loading excluded)
train() {
	local device=$1
	rm -rf "$OUT/train-$device"
	"$JAVA" -jar "$JAR" train --data sample-data --split '' --mode supervised --iterations "$ITERATIONS" --crop "$CROP" \
		--batch "$BATCH" --validation-interval "$ITERATIONS" --log-interval "$ITERATIONS" --seed 0 --device "$device" \
		--out "$OUT/train-$device" >"$OUT/train-$device.log" 2>&1 || die "training on $device failed (see $OUT/train-$device.log)"
}
train auto
grep -q '^device: gpu(' "$OUT/train-auto.log" || die "training with --device auto did not run on the GPU (see $OUT/train-auto.log)"
train cpu
grep -q '^device: cpu()' "$OUT/train-cpu.log" || die "training with --device cpu did not run on the CPU (see $OUT/train-cpu.log)"

seconds() {
	sed -n 's/^done: \([0-9]*\) iterations in \([0-9.]*\) s.*/\2/p' "$1" | head -n 1
}
GPU_S=$(seconds "$OUT/train-auto.log")
CPU_S=$(seconds "$OUT/train-cpu.log")
[ -n "$GPU_S" ] && [ -n "$CPU_S" ] || die "no 'done: ... iterations in ... s' line in $OUT/train-*.log"
echo
echo "training, U-Net supervised, $ITERATIONS iterations, batch $BATCH, crop $CROP (validation included)"
awk -v g="$GPU_S" -v c="$CPU_S" -v n="$ITERATIONS" 'BEGIN {
	printf "%-6s %10s %12s\n", "device", "seconds", "s/iteration"
	printf "%-6s %10.1f %12.3f\n", "gpu", g, g / n
	printf "%-6s %10.1f %12.3f\n", "cpu", c, c / n
	printf "speed-up %.1fx\n", (g > 0 ? c / g : 0)
}'
echo
case $PARITY_CODE in
0) echo "parity: PASS on the GPU" ;;
3) die "parity: the compared outputs passed on the GPU but some were skipped (exit code 3)" ;;
*) die "parity: FAIL on the GPU (exit code $PARITY_CODE, see $OUT/parity.log)" ;;
esac
