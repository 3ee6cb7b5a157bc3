package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.TestData;
import io.github.sssfiji.io.torch.Npy;

/** bfloat16 rounding: hand-computed bit patterns (ties to even, carries, specials) and the fixture's frame-0 memory. */
class Bf16Test {

	@Test
	void roundsToNearestEvenOnTheUpperSixteenBits() {
		assertEquals(bits(0x3F800000), Bf16.round(bits(0x3F800000)), "1.0 is a bf16 number");
		assertEquals(bits(0x3F800000), Bf16.round(bits(0x3F807FFF)), "below half a step rounds down");
		assertEquals(bits(0x3F810000), Bf16.round(bits(0x3F808001)), "above half a step rounds up");
		assertEquals(bits(0x3F800000), Bf16.round(bits(0x3F808000)), "a tie rounds to the even 0x3F80");
		assertEquals(bits(0x3F820000), Bf16.round(bits(0x3F818000)), "a tie rounds to the even 0x3F82");
		assertEquals(bits(0xBF820000), Bf16.round(bits(0xBF818000)), "negative ties too");
		assertEquals(bits(0x40000000), Bf16.round(bits(0x3FFFFFFF)), "a carry into the exponent");
		assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.MAX_VALUE), "overflow");
		assertEquals(Float.NEGATIVE_INFINITY, Bf16.round(Float.NEGATIVE_INFINITY));
		assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
		assertEquals(-0f, Bf16.round(-0f));
		assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Bf16.round(-0f)));
	}

	@Test
	void reproducesTheVideoPredictorsStoredMemoryExactly() throws IOException {
		final Path dir = TestData.sam2Parity();
		final float[] features = Npy.read(dir.resolve("video/frame0_maskmem_features.npy")).floats();
		final float[] expected = Npy.read(dir.resolve("video_bf16mem/frame0_maskmem_features_bf16.npy")).floats();
		final float[] rounded = Bf16.roundInPlace(features.clone());
		for (int i = 0; i < expected.length; i++) assertEquals(expected[i], rounded[i], "value " + i + " of " + features[i]);
	}

	private static float bits(final long pattern) {
		return Float.intBitsToFloat((int) pattern);
	}
}
