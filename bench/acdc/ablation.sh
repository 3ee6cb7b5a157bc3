#!/bin/sh
# The ablation of efficient prompting: today's `sss`, then each new part added alone, for the U-Net and for the
# micro SAM-2, each row one `bench/acdc/run.sh` run (BUDGET minutes, default 60, on THREADS cores, default 2; split 3,
# seed 0) with its own configuration, then one table of the best and last validation of every row that has run.
#
# Usage: bench/acdc/ablation.sh [ROW ...]     (default: every row; ROW=list prints the rows and their keys)
# A row whose log ends with the trainer's "done:" line is not run again: the ablation can be spread over several
# sittings (an interrupted row starts again from scratch). Environment: as run.sh (BUDGET, THREADS, SEED, SPLIT,
# DATA, JAVA_HEAP), OUT (default bench/out/ablation: OUT/ROW/ is the row's run.sh folder, OUT/ROW.json its
# configuration, OUT/summary.md the table).
set -eu
cd "$(dirname "$0")/../.."
OUT=${OUT:-bench/out/ablation}
# row: base configuration, then the keys it adds (JSON members)
rows() {
	cat <<'EOF'
unet	unet.json	
unet-prompted	unet.json	"pseudoLabels": "prompted"
unet-released-dfe	unet.json	"dfeForm": "released"
unet-continuity	unet.json	"pseudoLabels": "prompted", "pcswRule": "continuity"
sam2	sam2-micro.json	
sam2-prompted	sam2-micro.json	"pseudoLabels": "prompted"
sam2-memory	sam2-micro.json	"sequenceLength": 4, "pseudoLabels": "propagated"
sam2-released-dfe	sam2-micro.json	"dfeForm": "released"
sam2-released-dfe-prompted	sam2-micro.json	"dfeForm": "released", "pseudoLabels": "prompted"
sam2-continuity	sam2-micro.json	"pseudoLabels": "prompted", "pcswRule": "continuity"
sam2-memory-continuity	sam2-micro.json	"sequenceLength": 4, "pseudoLabels": "propagated", "pcswRule": "continuity"
sam2-memory-selective	sam2-micro.json	"sequenceLength": 4, "pseudoLabels": "propagated", "memoryBank": "selective"
EOF
}
# the pcswRule rows: the continuity rule rejects nothing and acts only through prompts, so it needs prompted pseudo-labels;
# the memoryBank row reads against sam2-memory: the self-sorting bank (Medical SAM 2) sorts memories, so it needs runs of slices
if [ "${1:-}" = list ]; then
	rows
	exit 0
fi
ROWS=${*:-$(rows | cut -f1)}
mkdir -p "$OUT"
for row in $ROWS; do
	line=$(rows | awk -F'\t' -v r="$row" '$1 == r')
	[ -n "$line" ] || { echo "bench/acdc/ablation: unknown row $row (bench/acdc/ablation.sh list)" >&2; exit 2; }
	base=$(echo "$line" | cut -f2)
	keys=$(echo "$line" | cut -f3)
	mode=sss
	case $base in sam2-micro.json) mode=sss-sam2 ;; esac
	if [ -f "$OUT/$row/$mode.log" ] && grep -q '^done: ' "$OUT/$row/$mode.log"; then
		echo "bench/acdc/ablation: $row has run ($OUT/$row/$mode.log)"
		continue
	fi
	# the base configuration with the row's keys added (later members of a JSON object would be duplicates)
	python3 - "bench/acdc/$base" "{${keys}}" >"$OUT/$row.json" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(json.loads(sys.argv[2]))
print(json.dumps(config, indent="\t"))
EOF
	echo "bench/acdc/ablation: $row ($mode, $base + {$keys})"
	config="$OUT/$row.json" folder="$OUT/$row"
	if [ "$mode" = sss-sam2 ]; then
		OUT="$folder" SAM2_CONFIG="$config" bench/acdc/run.sh sss-sam2
	else
		OUT="$folder" CONFIG="$config" bench/acdc/run.sh sss
	fi
done
# one table: summarise.py's row of each run, named by the ablation row
{
	python3 bench/acdc/summarise.py "$OUT" | head -n 2 | sed 's/^| mode |/| row |/'
	for row in $(rows | cut -f1); do
		mode=sss
		case $row in sam2*) mode=sss-sam2 ;; esac
		[ -f "$OUT/$row/$mode.log" ] || continue
		python3 bench/acdc/summarise.py "$OUT/$row" "$mode" | tail -n 1 | sed "s/^| $mode |/| $row |/"
	done
} | tee "$OUT/summary.md"
