#!/usr/bin/env bash
# A look at the GUI: starts plain ImageJ 1.x with the SSS plugin jar installed (as tests/macros.sh does,
# but with a display) on a virtual X server, opens the sample volume test/images/synthetic_014.nii.gz
# and its label volume, runs "SSS Generate Prompts (PCSW)" from ImageJ's command table, shows the
# prompts (a box and a click per class and prompted slice) as an overlay on the image, and saves a PNG
# of the screen (ImageJ's own ScreenGrabber). tests/Screenshot.java drives ImageJ.
#
#   tests/screenshot.sh [OUT.png]        default: docs/screenshot-pcsw.png
#
# Needs Xvfb: xvfb-run (Debian: apt-get install -y xvfb), unless $DISPLAY is already set. The PNG
# must stay under 300 KB (README shows it). "SSS Segment Image" (branch fiji-segment) is run too when
# its command class is in the jar and $SSS_SCREENSHOT_MODEL names a trained model file.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export OPT_OUT_TRACKING=true
png="${1:-docs/screenshot-pcsw.png}"

# the plugin jar and the class path, the same way as tests/macros.sh
jar_file() {
	ls target/SSS_Fiji-*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-tests\.jar$' -e '-javadoc\.jar$' | head -1 || true
}
jar="$(jar_file)"
if [[ -z "$jar" || -n "$(find src/main plugins.config pom.xml -newer "$jar" -print -quit)" ]]; then
	echo "screenshot.sh: building the plugin jar"
	mvn -B -q -Dstyle.color=never -DskipTests package
	jar="$(jar_file)"
fi
classpath_file=target/macros.classpath
if [[ ! -s "$classpath_file" || pom.xml -nt "$classpath_file" ]]; then
	echo "screenshot.sh: resolving the class path"
	resolve=(dependency:build-classpath -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
		-Dmdep.excludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian)
	mvn -B -q -Dstyle.color=never -o "${resolve[@]}" || mvn -B -q -Dstyle.color=never "${resolve[@]}"
	touch "$classpath_file"
fi
classpath="$(cat "$classpath_file")"

imagej_dir="$root/target/screenshot-imagej"
rm -rf "$imagej_dir"
mkdir -p "$imagej_dir/plugins"
cp "$jar" "$imagej_dir/plugins/"

run=(java -Dai.djl.offline=true -Dplugins.dir="$imagej_dir" -cp "$classpath:$jar" tests/Screenshot.java
	"$root/sample-data" "$png" "${SSS_SCREENSHOT_MODEL:-}")
if [[ -n "${DISPLAY:-}" ]]; then
	"${run[@]}"
elif command -v xvfb-run >/dev/null; then
	# a small screen: the picture is ImageJ's toolbar, the image with its prompts, the filtered labels and the ROI Manager
	xvfb-run -a -s "-screen 0 1060x560x24" "${run[@]}"
else
	echo "screenshot.sh: no display and no xvfb-run; install Xvfb (Debian: apt-get install -y xvfb)" >&2
	exit 1
fi

size=$(stat -c %s "$png")
echo "screenshot.sh: $png is $((size / 1024)) KB"
if (( size > 300 * 1024 )); then
	echo "screenshot.sh: $png is larger than 300 KB" >&2
	exit 1
fi
