#!/bin/sh
# Soak: trains for hours on ACDC and watches for what was seen once and never explained (a SIGSEGV in
# PyTorchLibrary.torchBackward, intermittent non-finite gradients that the trainer skips) and for native
# memory that grows. Runs one training per backbone one after another, each for HOURS hours (wall clock), with
# the training engine as the CLI runs it; samples the process's resident memory every INTERVAL seconds.
#
# Usage: bench/soak/run.sh [BACKBONE ...]   BACKBONE: unet sam2-micro sam2-micro-memory (default: all three)
# With RESUME=1 a backbone whose run folder has a checkpoint goes on from it (train --resume) until its training
# time reaches HOURS in all, in a new process: several sessions add up to one long soak. Its log and samples are
# appended; the samples' third column counts the processes (part 1, 2, ...).
# Environment: HOURS (per backbone, default 2; with RESUME=1 the run's total), INTERVAL (seconds between samples, default 30), SPLIT (default 3),
#   THREADS (default 2), SEED (default 0), DATA (default ../shared/data/acdc), OUT (default bench/out/soak),
#   JAR (default target/sss-app.jar), JAVA_HEAP (default 3g; committed and touched at start, -Xms = -Xmx with
#   -XX:+AlwaysPreTouch, so that resident memory grows only with native memory: a heap whose old generation fills
#   page by page looks like a native leak otherwise).
# Writes per backbone OUT/<backbone>.log (the training's own log), OUT/<backbone>.rss.csv (seconds, RSS MB) and
# a summary line per backbone in OUT/summary.txt (bench/soak/summarise.py): exit status, JVM crash files,
# iterations, skipped updates with their reasons, resident memory after warm-up, at the end and its slope.
set -eu
cd "$(dirname "$0")/../.."
HOURS=${HOURS:-2} INTERVAL=${INTERVAL:-30} SPLIT=${SPLIT:-3} THREADS=${THREADS:-2} SEED=${SEED:-0}
DATA=${DATA:-../shared/data/acdc} OUT=${OUT:-bench/out/soak} JAR=${JAR:-target/sss-app.jar} JAVA_HEAP=${JAVA_HEAP:-3g}
BACKBONES=${*:-"unet sam2-micro sam2-micro-memory"}
[ -d "$DATA" ] || { echo "bench/soak: no ACDC data at $DATA (set DATA)" >&2; exit 2; }
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
# absolute: each training runs in a folder of its own (below)
DATA=$(realpath "$DATA") OUT=$(realpath "$OUT") JAR=$(realpath "$JAR")
minutes=$(awk "BEGIN { print $HOURS * 60 }")
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
	"$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $HOURS h per backbone, split $SPLIT, threads $THREADS" | tee "$OUT/header.txt"
for backbone in $BACKBONES; do
	case $backbone in
		unet) args="--backbone unet --config $PWD/bench/acdc/unet.json" ;;
		sam2-micro) args="--backbone sam2-micro --config $PWD/bench/acdc/sam2-micro.json" ;;
		# the memory path (memory attention, memory encoder) is where backward is longest; runs of 4 divide batch 8 and 4
		sam2-micro-memory) args="--backbone sam2-micro --config $PWD/bench/acdc/sam2-micro.json --sequence-length 4" ;;
		*) echo "bench/soak: unknown backbone $backbone" >&2; exit 2 ;;
	esac
	run="$OUT/$backbone"
	if [ "${RESUME:-0}" = 1 ] && [ -f "$run/last.state" ]; then
		# the run's saved settings; the budget counts its training time across processes
		args="--resume"
		part=$(( $(tail -n 1 "$run.rss.csv" | awk -F, '{ print ($3 == "" ? 1 : $3) }') + 1 ))
	else
		rm -rf "$run" "$run.rss.csv" "$run.status" "$run.log"
		args="$args --mode sss --iterations 1000000 --seed $SEED"
		part=1
		echo "seconds,rss_mb,part" >"$run.rss.csv"
	fi
	# a JVM crash writes hs_err_pid<pid>.log into the working folder: give each run its own
	mkdir -p "$run.cwd"
	# the iteration count only bounds the schedule: the budget ends the run
	# shellcheck disable=SC2086
	(cd "$run.cwd" && exec env MALLOC_ARENA_MAX=1 OMP_WAIT_POLICY=PASSIVE java -Xms"$JAVA_HEAP" -Xmx"$JAVA_HEAP" -XX:+AlwaysPreTouch -XX:+UseSerialGC \
		-jar "$JAR" train --data "$DATA" --split "$SPLIT" $args --budget-minutes "$minutes" --threads "$THREADS" --out "$run") >>"$run.log" 2>&1 &
	pid=$!
	start=$(date +%s)
	while kill -0 "$pid" 2>/dev/null; do
		rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status" 2>/dev/null || true)
		[ -n "$rss" ] && echo "$(( $(date +%s) - start )),$rss,$part" >>"$run.rss.csv"
		sleep "$INTERVAL"
	done
	status=0
	wait "$pid" || status=$?
	echo "$status" >>"$run.status"
	python3 bench/soak/summarise.py "$backbone" "$run" | tee -a "$OUT/summary.txt"
done
