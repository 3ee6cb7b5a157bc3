#!/bin/sh
# Spark cohort benchmark: volumes per minute on the ACDC validation volumes (splits/unimatch/val.txt) for the
# single-process `predict` (sss-app.jar), `sss-spark.jar segment` embedded on local[1] and local[2], and a standalone
# cluster on 127.0.0.1 (one master, one worker) with 1 and 2 one-core executors. Every process or executor runs
# libtorch with THREADS threads. bench/spark/summarise.py derives the per-volume cost, the model's load, Spark's
# overhead and an estimate at 10 and 100 executors. The load average before and after each run is recorded: on a
# shared machine other work takes cores.
#
# Usage: MODEL=RUN/best.sss bench/spark/run.sh
# Environment: MODEL (a trained U-Net .sss for ACDC, required), DATA (default ../shared/data/acdc), OUT (default
#   bench/out/spark), THREADS (default 1), RUNS (default "predict local1 local2 cluster1 cluster2").
set -eu
cd "$(dirname "$0")/../.."
DATA=${DATA:-../shared/data/acdc} OUT=${OUT:-bench/out/spark} THREADS=${THREADS:-1}
RUNS=${RUNS:-"predict local1 local2 cluster1 cluster2"}
[ -n "${MODEL:-}" ] && [ -f "$MODEL" ] || { echo "bench/spark: set MODEL to a trained .sss file" >&2; exit 2; }
[ -f "$DATA/splits/unimatch/val.txt" ] || { echo "bench/spark: no ACDC data at $DATA (set DATA)" >&2; exit 2; }
[ -f target/sss-app.jar ] && [ -f target/sss-spark.jar ] || mvn -B -q -Pspark -DskipTests package
DATA=$(cd "$DATA" && pwd) MODEL=$(cd "$(dirname "$MODEL")" && pwd)/$(basename "$MODEL") JAR=$(pwd)/target/sss-spark.jar
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
sed "s|^|$DATA/|" "$DATA/splits/unimatch/val.txt" | grep -v '/$' >"$OUT/val.txt"
echo "# $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
	"$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(wc -l <"$OUT/val.txt") volumes, threads $THREADS, model $MODEL" | tee "$OUT/header.txt"
printf 'run\twall_seconds\tload_before\tload_after\texit\n' >"$OUT/runs.tsv"
# libtorch's idle threads sleep: the machine is shared (bench/README.md)
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS"
# what spark-submit passes on Java 17 (org.apache.spark.launcher.JavaModuleOptions); java -jar gets them from the manifest
MODULES="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
SPARK="-Dspark.ui.enabled=false -Dspark.ui.showConsoleProgress=false -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1"

timed() { # NAME COMMAND...: runs it, appends its wall time and the load average before and after to runs.tsv
	name=$1
	shift
	rm -rf "${OUT:?}/$name"
	before=$(cut -d' ' -f1 /proc/loadavg)
	start=$(date +%s.%N)
	code=0
	"$@" >"$OUT/$name.log" 2>&1 || code=$?
	end=$(date +%s.%N)
	printf '%s\t%.2f\t%s\t%s\t%s\n' "$name" "$(echo "$end - $start" | bc)" "$before" "$(cut -d' ' -f1 /proc/loadavg)" "$code" | tee -a "$OUT/runs.tsv"
}
segment() { # NAME MASTER [JVM options]: sss-spark.jar segment of the list
	name=$1 master=$2
	shift 2
	# shellcheck disable=SC2086 # SPARK is a word list
	timed "$name" java $SPARK "$@" -jar "$JAR" segment --model "$MODEL" --list "$OUT/val.txt" --out "$OUT/$name" --master "$master" --threads "$THREADS"
}
cluster_up() {
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	mkdir -p "$OUT/spark-home/jars"
	# an empty SPARK_HOME/jars: the worker builds the executors' class path from it and spark.executor.extraClassPath
	export SPARK_HOME="$OUT/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
	# shellcheck disable=SC2086 # MODULES is a word list
	java $MODULES -Xmx256m -cp "$JAR" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port 0 >"$OUT/master.log" 2>&1 &
	MASTER_PID=$!
	# shellcheck disable=SC2086
	java $MODULES -Xmx256m -cp "$JAR" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 --memory 4g --webui-port 0 \
		--work-dir "$OUT/worker" "spark://127.0.0.1:$PORT" >"$OUT/worker.log" 2>&1 &
	WORKER_PID=$!
	sleep 15
}
cluster_down() {
	kill "$WORKER_PID" "$MASTER_PID" 2>/dev/null || true
	wait "$WORKER_PID" "$MASTER_PID" 2>/dev/null || true
}

for run in $RUNS; do
	case $run in
		predict) timed predict java -Dai.djl.offline=true -jar target/sss-app.jar predict --model "$MODEL" --list "$OUT/val.txt" --out "$OUT/predict" \
			--threads "$THREADS" ;;
		local1) segment local1 'local[1]' ;;
		local2) segment local2 'local[2]' ;;
		cluster1 | cluster2)
			[ -n "${PORT:-}" ] || cluster_up
			executors=${run#cluster}
			segment "$run" "spark://127.0.0.1:$PORT" -Dspark.executor.extraClassPath="$JAR" -Dspark.executor.memory=1g -Dspark.executor.cores=1 \
				-Dspark.cores.max="$executors" -Dspark.executorEnv.OMP_WAIT_POLICY=PASSIVE -Dspark.executorEnv.OMP_NUM_THREADS="$THREADS" ;;
		*) echo "bench/spark: unknown run $run" >&2 ;;
	esac
done
[ -z "${PORT:-}" ] || cluster_down
echo "# end $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/header.txt"
python3 bench/spark/summarise.py "$OUT" | tee "$OUT/summary.md"
