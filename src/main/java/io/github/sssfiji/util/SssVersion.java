package io.github.sssfiji.util;

import org.scijava.util.VersionUtils;

/** The version of SSS that runs, as model files record it. */
public final class SssVersion {

	private SssVersion() {}

	/**
	 * The jar manifest's {@code Implementation-Version}, else the version in the project's Maven POM
	 * (packaged {@code META-INF/maven/.../pom.xml}, or {@code pom.xml} beside {@code target/classes}),
	 * else {@code unknown}.
	 */
	public static String get() {
		final String v = VersionUtils.getVersion(SssVersion.class);
		return v == null || v.isBlank() ? "unknown" : v;
	}
}
