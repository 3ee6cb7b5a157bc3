#!/bin/sh
# Spark cohort benchmark: volumes per minute on the ACDC validation volumes (splits/unimatch/val.txt) for the
# single-process `predict` (sss-app.jar) and two of them side by side, `sss-spark.jar segment` embedded on local[1] and local[2], and a standalone
# cluster on 127.0.0.1 (one master, one worker) with 1 and 2 one-core executors, the last also submitted through
# Spark's SparkSubmit as spark-submit does. Every process or executor runs libtorch with THREADS threads. The list
# holds each volume REPEAT times (links named r<k>_<name>), so that fixed costs do not hide the per-volume ones. bench/spark/summarise.py derives the per-volume cost, the model's load, Spark's
# overhead and an estimate at 10 and 100 executors. The load average before and after each run is recorded: on a
# shared machine other work takes cores.
#
# Usage: MODEL=RUN/best.sss bench/spark/run.sh
# Environment: MODEL (a trained U-Net .sss for ACDC, required), DATA (default ../shared/data/acdc), OUT (default
#   bench/out/spark), THREADS (default 1), REPEAT (default 10),
#   RUNS (default "predict predict2 local1 local2 cluster1 cluster2 submit2"; a run named RUN.K is RUN again, e.g.
#   RUNS="predict local2 predict.2 local2.2 predict.3 local2.3" alternates them, and the summary gives the ratio of
#   each local2.K over the predict.K before it and their median: the machine's speed drifts between runs).
set -eu
cd "$(dirname "$0")/../.."
DATA=${DATA:-../shared/data/acdc} OUT=${OUT:-bench/out/spark} THREADS=${THREADS:-1} REPEAT=${REPEAT:-10}
RUNS=${RUNS:-"predict predict2 local1 local2 cluster1 cluster2 submit2"}
[ -n "${MODEL:-}" ] && [ -f "$MODEL" ] || { echo "bench/spark: set MODEL to a trained .sss file" >&2; exit 2; }
[ -f "$DATA/splits/unimatch/val.txt" ] || { echo "bench/spark: no ACDC data at $DATA (set DATA)" >&2; exit 2; }
[ -f target/sss-app.jar ] && [ -f target/sss-spark.jar ] || mvn -B -q -Pspark -DskipTests package
DATA=$(cd "$DATA" && pwd) MODEL=$(cd "$(dirname "$MODEL")" && pwd)/$(basename "$MODEL") JAR=$(pwd)/target/sss-spark.jar
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -rf "$OUT/volumes"
mkdir -p "$OUT/volumes"
: >"$OUT/val.txt"
for k in $(seq -w 1 "$REPEAT"); do
	grep -v '^$' "$DATA/splits/unimatch/val.txt" | while read -r name; do
		ln -s "$DATA/$name" "$OUT/volumes/r${k}_$(basename "$name")"
		echo "$OUT/volumes/r${k}_$(basename "$name")" >>"$OUT/val.txt"
	done
done
echo "# $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
	"$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(wc -l <"$OUT/val.txt") volumes ($REPEAT x $(grep -vc '^$' "$DATA/splits/unimatch/val.txt")), threads $THREADS, model $MODEL" | tee "$OUT/header.txt"
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
predict_pair() { # NAME: two single-threaded predict processes side by side, each on half of the list: what two cores of
	# this machine give without Spark, the ceiling for local[2]; exits with the first non-zero status
	pair=$1
	half=$(( $(wc -l <"$OUT/val.txt") / 2 ))
	head -n "$half" "$OUT/val.txt" >"$OUT/val-a.txt"
	tail -n +"$((half + 1))" "$OUT/val.txt" >"$OUT/val-b.txt"
	java -Dai.djl.offline=true -jar target/sss-app.jar predict --model "$MODEL" --list "$OUT/val-a.txt" --out "$OUT/$pair" --threads "$THREADS" \
		>"$OUT/$pair-a.log" 2>&1 &
	first=$!
	second=0
	java -Dai.djl.offline=true -jar target/sss-app.jar predict --model "$MODEL" --list "$OUT/val-b.txt" --out "$OUT/$pair" --threads "$THREADS" \
		>"$OUT/$pair-b.log" 2>&1 || second=$?
	wait "$first" || return $?
	return "$second"
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
	# RUN.K: RUN once more, in folders and logs of its own
	case ${run%%.*} in
		predict) timed "$run" java -Dai.djl.offline=true -jar target/sss-app.jar predict --model "$MODEL" --list "$OUT/val.txt" --out "$OUT/$run" \
			--threads "$THREADS" ;;
		predict2) timed "$run" predict_pair "$run" ;;
		local1) segment "$run" 'local[1]' ;;
		local2) segment "$run" 'local[2]' ;;
		cluster1 | cluster2)
			[ -n "${PORT:-}" ] || cluster_up
			executors=${run%%.*}
			executors=${executors#cluster}
			segment "$run" "spark://127.0.0.1:$PORT" -Dspark.executor.extraClassPath="$JAR" -Dspark.executor.memory=1g -Dspark.executor.cores=1 \
				-Dspark.cores.max="$executors" -Dspark.executorEnv.OMP_WAIT_POLICY=PASSIVE -Dspark.executorEnv.OMP_NUM_THREADS="$THREADS" ;;
		submit2)
			# what spark-submit runs once it has built its class path: SparkSubmit, the master given to Spark, not to the job
			[ -n "${PORT:-}" ] || cluster_up
			# shellcheck disable=SC2086 # MODULES is a word list
			timed "$run" java $MODULES -cp "$JAR" org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$PORT" --deploy-mode client \
				--class io.github.sssfiji.spark.SparkMain --conf spark.executor.extraClassPath="$JAR" --conf spark.executor.memory=1g \
				--conf spark.executor.cores=1 --conf spark.cores.max=2 --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE \
				--conf spark.executorEnv.OMP_NUM_THREADS="$THREADS" --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
				--conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
				"$JAR" segment --model "$MODEL" --list "$OUT/val.txt" --out "$OUT/$run" --threads "$THREADS" ;;
		*) echo "bench/spark: unknown run $run" >&2 ;;
	esac
done
[ -z "${PORT:-}" ] || cluster_down
echo "# end $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/header.txt"
python3 bench/spark/summarise.py "$OUT" | tee "$OUT/summary.md"
