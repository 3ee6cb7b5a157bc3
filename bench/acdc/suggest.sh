#!/bin/sh
# The slice-suggestion experiment: does labelling the slices `suggest` picks beat labelling as many random
# slices? From a UniMatch split, reveals the labels of K suggested unlabelled slices (ACDC has them) in one arm
# and of K random unlabelled slices in the other, retrains each arm with the same iterations and seeds, and
# tabulates the best and the last validation mean Dice per arm and seed (bench/acdc/suggest-summary.py).
#
# Usage: [MODEL=RUN/best.sss] bench/acdc/suggest.sh
#   MODEL: a model trained on the same split (the one whose uncertainty chooses the slices). Without MODEL the
#   suggestions recorded in bench/acdc/suggest/split-SPLIT-strata-STRATA.csv (split-SPLIT-clusters-CLUSTERS.csv with
#   CLUSTERS, split-SPLIT-clusters-CLUSTERS-typical.csv with TYPICAL=1 as well; -kK before .csv where K is not 10; the CSV `suggest` wrote; bench/README.md says from which model) are used, so the runs do not need that model
#   again.
# Environment: SPLIT (1|3|7, default 3), K (slices revealed, default 10), SPACING (suggest --spacing, default 2),
#   STRATA (suggest --strata, default 3: spread over subjects and three depth ranges; 0: by score alone),
#   CLUSTERS (suggest --clusters instead of --strata: auto or a count; groups of like slices, the least labelled first),
#   TYPICAL (1: with CLUSTERS, suggest --typical true: the most typical slice of a group instead of the best-scored;
#   CLUSTERS=auto TYPICAL=1 is suggest's default, the script's stays STRATA=3 so that the recorded commands hold),
#   SEEDS (default "0 1"; empty: only the suggestions and the split folders), ITERATIONS (per run, default 3000:
#   with PARALLEL=1 THREADS=1 both arms of a seed train in 43 minutes on a 2-core AVX-512 EPYC), CONFIG (default
#   bench/acdc/unet.json), THREADS (default 2), DATA (default ../shared/data/acdc), OUT (default
#   bench/out/suggest-<split>), JAR (default target/sss-app.jar), RANDOM_SEED (the random arm's draw, default 0),
#   PARALLEL (1 = the runs two at a time, the arms of a seed in order, each with THREADS threads and OMP_WAIT_POLICY
#   PASSIVE; default 0 = one after another, ACTIVE), ARMS (default "suggested random"; "mixed" reveals the first
#   K/2 suggestions and as many of the random arm's slices as make K: does coverage add to the suggestions?),
#   INIT (a model file every run starts from, train --init: the arms go on training the model that suggested, as a
#   user who labels the suggestions does, instead of training afresh; default none).
# Each arm's split folder (labeled.txt, unlabeled.txt, val.txt) is written under OUT/<arm>/split, so the runs can
# be repeated. Run again, the script goes on where it stopped: a run with a checkpoint (last.state) resumes from it
# (train --resume: the same iterations follow), and one that had finished returns at once.
set -eu
cd "$(dirname "$0")/../.."
SPLIT=${SPLIT:-3} K=${K:-10} SPACING=${SPACING:-2} STRATA=${STRATA:-3} SEEDS=${SEEDS-"0 1"} ITERATIONS=${ITERATIONS:-3000}
CONFIG=${CONFIG:-bench/acdc/unet.json} THREADS=${THREADS:-2} DATA=${DATA:-../shared/data/acdc}
OUT=${OUT:-bench/out/suggest-$SPLIT} JAR=${JAR:-target/sss-app.jar} RANDOM_SEED=${RANDOM_SEED:-0} PARALLEL=${PARALLEL:-0}
CLUSTERS=${CLUSTERS:-} TYPICAL=${TYPICAL:-0} ARMS=${ARMS:-suggested random} INIT=${INIT:-}
for arm in $ARMS; do
	case $arm in suggested|random|mixed) ;; *) echo "bench/acdc/suggest.sh: unknown arm $arm (ARMS: suggested random mixed)" >&2; exit 2 ;; esac
done
# the recorded suggestions of K = 10 have no count in their name, those of another K end in -kK
if [ "$K" = 10 ]; then COUNT=""; else COUNT="-k$K"; fi
if [ "$TYPICAL" = 1 ] && [ -z "$CLUSTERS" ]; then echo "bench/acdc/suggest.sh: TYPICAL=1 chooses within groups: set CLUSTERS too" >&2; exit 2; fi
if [ "$TYPICAL" = 1 ]; then SPREAD="--clusters $CLUSTERS --typical true" RECORDED=bench/acdc/suggest/split-$SPLIT-clusters-$CLUSTERS-typical$COUNT.csv
elif [ -n "$CLUSTERS" ]; then SPREAD="--clusters $CLUSTERS --typical false" RECORDED=bench/acdc/suggest/split-$SPLIT-clusters-$CLUSTERS$COUNT.csv
else SPREAD="--strata $STRATA" RECORDED=bench/acdc/suggest/split-$SPLIT-strata-$STRATA$COUNT.csv; fi
# side by side, idle OpenMP threads must sleep or they take the core of the other arm (bench/acdc/run.sh)
if [ "$PARALLEL" = 1 ]; then OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}; else OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-ACTIVE}; fi
[ -n "${MODEL:-}" ] || [ -f "$OUT/suggestions.csv" ] || [ -f "$RECORDED" ] ||
	{ echo "bench/acdc/suggest.sh: set MODEL to a model trained on split $SPLIT (no $RECORDED)" >&2; exit 2; }
[ -d "$DATA" ] || { echo "bench/acdc/suggest.sh: no ACDC data at $DATA (set DATA)" >&2; exit 2; }
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
	"$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), split $SPLIT, K $K, arms $ARMS, ${SPREAD#--}, seeds $SEEDS, $ITERATIONS iterations," \
	"parallel $PARALLEL,${INIT:+ init $INIT,} suggestions $(if [ -n "${MODEL:-}" ]; then echo "of $MODEL"; elif [ -f "$OUT/suggestions.csv" ]; then
		echo "in $OUT/suggestions.csv"; else echo "recorded in $RECORDED"; fi)" | tee "$OUT/header.txt"

# 1. the suggestions of the model (or the recorded ones), and the two arms' split folders
if [ ! -f "$OUT/suggestions.csv" ]; then
	if [ -n "${MODEL:-}" ]; then
		# shellcheck disable=SC2086 # SPREAD is an option and its value
		java -Xmx3g -jar "$JAR" suggest --model "$MODEL" --data "$DATA" --split "$SPLIT" --count "$K" --spacing "$SPACING" \
			$SPREAD --out "$OUT/suggestions.csv"
	else
		cp "$RECORDED" "$OUT/suggestions.csv"
	fi
fi
python3 - "$DATA/splits/unimatch" "$SPLIT" "$OUT" "$K" "$RANDOM_SEED" <<'EOF'
import os, random, sys
splits, split, out, k, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
labelled = open(os.path.join(splits, split, "labeled.txt")).read().split()
unlabelled = open(os.path.join(splits, split, "unlabeled.txt")).read().split()
val = open(os.path.join(splits, "val.txt")).read()
by_name = {os.path.basename(p)[:-len(".h5")]: p for p in unlabelled}
# a suggestion names a slice as "<item name>#<slice in the item>": an ACDC slice file is one item of one slice
rows = [line.split(",") for line in open(os.path.join(out, "suggestions.csv")).read().splitlines()[1:]]
suggested = [by_name[r[1].split("#")[0]] for r in rows]
if len(suggested) != k:
    sys.exit("suggest gave %d slices, not %d" % (len(suggested), k))
drawn = random.Random(seed).sample(unlabelled, k)
# the mixed arm: the best half of the suggestions, the rest from the random draw (skipping any already suggested)
half = suggested[:k // 2]
mixed = half + [p for p in drawn if p not in half][:k - len(half)]
for arm, revealed in (("suggested", suggested), ("random", drawn), ("mixed", mixed)):
    folder = os.path.join(out, arm, "split")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "labeled.txt"), "w") as f:
        f.write("\n".join(labelled + revealed) + "\n")
    with open(os.path.join(folder, "unlabeled.txt"), "w") as f:
        f.write("\n".join(p for p in unlabelled if p not in set(revealed)) + "\n")
    with open(os.path.join(folder, "val.txt"), "w") as f:
        f.write(val)
    with open(os.path.join(out, arm, "revealed.txt"), "w") as f:
        f.write("\n".join(revealed) + "\n")
EOF

# 2. one run per arm and seed, the same iterations (the same budget) for each
train_arm() {
	arm=$1 seed=$2
	run="$OUT/$arm/seed-$seed"
	if [ -f "$run/last.state" ]; then
		settings="--resume"
	else
		settings="--backbone unet --mode sss --config $CONFIG --iterations $ITERATIONS --seed $seed${INIT:+ --init $INIT}"
	fi
	# shellcheck disable=SC2086 # settings is a word list
	MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=8589934592 MALLOC_TRIM_THRESHOLD_=17179869184 OMP_WAIT_POLICY=$OMP_WAIT_POLICY \
		OMP_NUM_THREADS="$THREADS" java -Xmx3g -Dai.djl.offline=true -jar "$JAR" train --data "$DATA" \
		--split "$(realpath "$OUT/$arm/split/labeled.txt")" $settings --threads "$THREADS" --out "$run" >>"$run.log" 2>&1 ||
		echo "bench/acdc/suggest.sh: $arm seed $seed failed, see $run.log" >&2
}
# side by side, two runs at a time: the arms of a seed in order, then the next seed's
running=0
for seed in $SEEDS; do
	for arm in $ARMS; do
		if [ "$PARALLEL" = 1 ]; then
			train_arm "$arm" "$seed" &
			running=$((running + 1))
			if [ "$running" = 2 ]; then wait; running=0; fi
		else
			train_arm "$arm" "$seed"
		fi
	done
done
wait
python3 bench/acdc/suggest-summary.py "$OUT" | tee "$OUT/summary.txt"
