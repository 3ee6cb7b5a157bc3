# Sourced by tests/macros.sh, tests/screenshot.sh and tests/live-plot.sh (with `tool` set to the caller's
# name, for messages), from the repository root. Sets:
#   jar        the SSS plugin jar, target/SSS_Fiji-<version>.jar, built (with target/sss-app.jar) when either
#              is missing or older than the sources;
#   classpath  the runtime dependencies plus ij1-patcher (test scope, JUnit left out), cached in
#              target/macros.classpath;
# and defines imagej_folder DIR: a fresh ImageJ folder whose plugins/ holds the jar under its own name (the
# underscore makes ImageJ read plugins.config), as in Fiji.app/plugins; the jar must be on the class path as
# well, as ij1-patcher loads plugins from there; and with_display WxHxD COMMAND...: runs the command on
# $DISPLAY, or else on a virtual X server of that screen size (xvfb-run).
export OPT_OUT_TRACKING=true

jar_file() {
	ls target/SSS_Fiji-*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-tests\.jar$' -e '-javadoc\.jar$' | head -1 || true
}
jar="$(jar_file)"
if [[ -z "$jar" || ! -s target/sss-app.jar || -n "$(find src/main plugins.config pom.xml -newer "$jar" -print -quit)" ]]; then
	echo "$tool: building the plugin jar and sss-app.jar"
	mvn -B -q -Dstyle.color=never -o -DskipTests package || mvn -B -q -Dstyle.color=never -DskipTests package
	jar="$(jar_file)"
fi

classpath_file=target/macros.classpath
if [[ ! -s "$classpath_file" || pom.xml -nt "$classpath_file" ]]; then
	echo "$tool: resolving the class path"
	resolve=(dependency:build-classpath -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
		-Dmdep.excludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian)
	mvn -B -q -Dstyle.color=never -o "${resolve[@]}" || mvn -B -q -Dstyle.color=never "${resolve[@]}"
	# the plugin leaves an unchanged file untouched
	touch "$classpath_file"
fi
classpath="$(cat "$classpath_file")"

imagej_folder() {
	rm -rf "$1"
	mkdir -p "$1/plugins"
	cp "$jar" "$1/plugins/"
}

with_display() {
	local screen=$1
	shift
	if [[ -n "${DISPLAY:-}" ]]; then
		"$@"
	elif command -v xvfb-run >/dev/null; then
		xvfb-run -a -s "-screen 0 $screen" "$@"
	else
		echo "$tool: no display and no xvfb-run; install Xvfb (Debian: apt-get install -y xvfb)" >&2
		return 1
	fi
}
