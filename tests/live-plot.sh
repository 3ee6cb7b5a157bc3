#!/usr/bin/env bash
# SSS Train's live plot on a display: starts plain ImageJ 1.x with the SSS plugin jar installed (as
# tests/macros.sh does, but with a display) on a virtual X server, runs "SSS Train" on sample-data from
# ImageJ's command table (30 iterations of crop 32, a log row every 2), checks that the window
# "SSS Train: model.training" appears and is redrawn while training runs and shows training.png
# afterwards, and saves a PNG of the screen. tests/LivePlot.java drives ImageJ; it prints "LIVE PLOT OK"
# and exits with 0 when every check holds.
#
#   tests/live-plot.sh [OUT.png]        default: target/live-plot/screen.png
#
# Needs Xvfb: xvfb-run (Debian: apt-get install -y xvfb), unless $DISPLAY is already set. Not part of
# `mvn verify`: the build machines have no display.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/target/live-plot"
png="${1:-$out/screen.png}"
tool=live-plot.sh
# shellcheck source=tests/imagej-setup.sh
. tests/imagej-setup.sh

imagej_dir="$out/imagej"
imagej_folder "$imagej_dir"
rm -rf "$out/run"
mkdir -p "$(dirname "$png")"
with_display 1024x768x24 java -Dai.djl.offline=true -Dplugins.dir="$imagej_dir" -cp "$classpath:$jar" tests/LivePlot.java \
	"$root/sample-data" "$out/run" "$png"
