#!/usr/bin/env bash
# A look at the GUI: starts plain ImageJ 1.x with the SSS plugin jar installed (as tests/macros.sh does,
# but with a display) on a virtual X server, opens the sample volume test/images/synthetic_014.nii.gz,
# runs "SSS Segment Image" on it with a trained model, then "SSS Generate Prompts (PCSW)" on the
# predicted label volume (both from ImageJ's command table), shows the prompts (a box and a click per
# class and prompted slice) as an overlay on the image next to the predicted labels, and saves a PNG
# of the screen (ImageJ's own ScreenGrabber). tests/Screenshot.java drives ImageJ.
#
#   tests/screenshot.sh [OUT.png]        default: docs/screenshot.png
#
# The model: $SSS_SCREENSHOT_MODEL when it names a model file (.sss); otherwise a small one is trained
# first on sample-data with `sss-app.jar train` (mode sss, U-Net, crop 64) into a temporary folder, for
# $SSS_SCREENSHOT_ITERATIONS iterations (default 120) or $SSS_SCREENSHOT_MINUTES minutes (default 2),
# whichever comes first. A busy machine fits few iterations in 2 minutes (14 at 9 s each on a loaded
# 2-core machine: mean validation Dice 0.21); give more minutes, or a model, for a meaningful picture.
#
# Needs Xvfb: xvfb-run (Debian: apt-get install -y xvfb), unless $DISPLAY is already set. The PNG
# must stay under 300 KB (README shows it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
png="${1:-docs/screenshot.png}"
tool=screenshot.sh
# shellcheck source=tests/imagej-setup.sh
. tests/imagej-setup.sh

model="${SSS_SCREENSHOT_MODEL:-}"
if [[ -z "$model" ]]; then
	run_dir="$(mktemp -d)"
	trap 'rm -rf "$run_dir"' EXIT
	iterations="${SSS_SCREENSHOT_ITERATIONS:-120}" minutes="${SSS_SCREENSHOT_MINUTES:-2}"
	echo "screenshot.sh: training a small model on sample-data ($iterations iterations or $minutes minutes) in $run_dir"
	MALLOC_ARENA_MAX=1 java -Dai.djl.offline=true -jar target/sss-app.jar train --data sample-data --split '' --out "$run_dir" \
		--mode sss --backbone unet --crop 64 --batch 4 --optimizer adamw --iterations "$iterations" --budget-minutes "$minutes" \
		--validation-interval "$iterations" --log-interval 20
	model="$run_dir/best.sss"
fi
[[ -s "$model" ]] || { echo "screenshot.sh: no model file $model" >&2; exit 1; }

imagej_dir="$root/target/screenshot-imagej"
imagej_folder "$imagej_dir"

# a small screen: the picture is ImageJ's toolbar, the image with its prompts, the predicted labels and the ROI Manager
with_display 1060x560x24 java -Dai.djl.offline=true -Dplugins.dir="$imagej_dir" -cp "$classpath:$jar" tests/Screenshot.java \
	"$root/sample-data" "$png" "$model"

size=$(stat -c %s "$png")
echo "screenshot.sh: $png is $((size / 1024)) KB"
if (( size > 300 * 1024 )); then
	echo "screenshot.sh: $png is larger than 300 KB" >&2
	exit 1
fi
