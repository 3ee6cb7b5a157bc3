#!/usr/bin/env bash
# Runs ImageJ macros truly headless in plain ImageJ 1.x, patched by ij1-patcher as Fiji's --headless
# does, with the SSS plugin jar installed as in Fiji.app/plugins (its plugins.config gives the menu
# commands).
#
#   tests/macros.sh [MACRO.ijm ...]      default: every macros/*.ijm
#
# Each macro gets the argument "sample=<repo>/sample-data output=<out>/<macro name>", where <out> is
# $SSS_MACRO_OUTPUT (default: target/macros-output). A macro passes when java exits with 0 within
# $SSS_MACRO_TIMEOUT seconds (default 300), its output has neither "Macro Error" nor "Exception", and
# it printed "MACRO OK <macro name>" at its end: ImageJ's -batch exits with 0 even after a macro error,
# so the output decides. Exits with 1 when any macro fails.
#
# Builds target/SSS_Fiji-<version>.jar first when it is missing or older than the sources, and caches
# the class path (runtime dependencies plus ij1-patcher) in target/macros.classpath.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tool=macros.sh
# shellcheck source=tests/imagej-setup.sh
. tests/imagej-setup.sh
patcher="$(tr ':' '\n' <<<"$classpath" | grep '/ij1-patcher-[^/]*\.jar$' | head -1)"
[[ -n "$patcher" ]] || { echo "macros.sh: ij1-patcher is not on the class path in $classpath_file" >&2; exit 1; }
imagej_dir="$root/target/macros-imagej"
imagej_folder "$imagej_dir"

output_root="${SSS_MACRO_OUTPUT:-$root/target/macros-output}"
mkdir -p "$output_root"
output_root="$(cd "$output_root" && pwd)"
timeout_s="${SSS_MACRO_TIMEOUT:-300}"

if [[ $# -eq 0 ]]; then set -- macros/*.ijm; fi
failed=()
for macro in "$@"; do
	[[ -f "$macro" ]] || { echo "macros.sh: no macro file $macro" >&2; failed+=("$macro"); continue; }
	macro_path="$(cd "$(dirname "$macro")" && pwd)/$(basename "$macro")"
	name="$(basename "$macro" .ijm)"
	output="$output_root/$name"
	rm -rf "$output"
	mkdir -p "$output"
	log="$output_root/$name.log"
	echo "=== $name: sample=$root/sample-data output=$output"
	start=$SECONDS
	set +e
	timeout "$timeout_s" java -javaagent:"$patcher"=init --add-opens=java.base/java.lang=ALL-UNNAMED \
		-Djava.awt.headless=true -Dai.djl.offline=true -Dplugins.dir="$imagej_dir" \
		-cp "$classpath:$jar" ij.ImageJ -batch "$macro_path" "sample=[$root/sample-data] output=[$output]" >"$log" 2>&1
	rc=$?
	set -e
	cat "$log"
	problems=()
	[[ $rc -eq 0 ]] || problems+=("exit code $rc$([[ $rc -eq 124 ]] && echo " (timed out after ${timeout_s} s)")")
	grep -q 'Macro Error' "$log" && problems+=("a macro error")
	grep -q 'Exception' "$log" && problems+=("an exception")
	grep -q "MACRO OK $name" "$log" || problems+=("no 'MACRO OK $name' at the end")
	if [[ ${#problems[@]} -eq 0 ]]; then
		echo "=== $name: passed in $((SECONDS - start)) s"
	else
		echo "=== $name: FAILED: $(IFS=','; echo "${problems[*]}" | sed 's/,/, /g')"
		failed+=("$name")
	fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
	echo "macros.sh: ${#failed[@]} of $# macros failed: ${failed[*]}"
	exit 1
fi
echo "macros.sh: all $# macros passed"
