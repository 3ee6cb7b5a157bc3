package io.github.sssfiji.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** UniMatch state-dict keys map onto our tensor names. */
class UniMatchNamesTest {

	@Test
	void mapsEveryKindOfKey() {
		assertEquals("encoder.level0.conv1.weight", UniMatchNames.toUNetName("encoder.in_conv.conv_conv.0.weight"));
		assertEquals("encoder.level0.norm2.running_var", UniMatchNames.toUNetName("encoder.in_conv.conv_conv.5.running_var"));
		assertEquals("encoder.level3.norm1.bias", UniMatchNames.toUNetName("encoder.down3.maxpool_conv.1.conv_conv.1.bias"));
		assertEquals("decoder.up2.reduce.weight", UniMatchNames.toUNetName("decoder.up2.conv1x1.weight"));
		assertEquals("decoder.up4.block.conv2.bias", UniMatchNames.toUNetName("decoder.up4.conv.conv_conv.4.bias"));
		assertEquals("decoder.head.weight", UniMatchNames.toUNetName("module.decoder.out_conv.weight"));
		assertNull(UniMatchNames.toUNetName("encoder.in_conv.conv_conv.1.num_batches_tracked"));
	}

	@Test
	void rejectsForeignKeys() {
		assertThrows(IllegalArgumentException.class, () -> UniMatchNames.toUNetName("encoder.in_conv.conv_conv.2.weight"));
		assertThrows(IllegalArgumentException.class, () -> UniMatchNames.toUNetName("decoder.up5.conv1x1.weight"));
		assertThrows(IllegalArgumentException.class, () -> UniMatchNames.toUNetName("backbone.layer1.weight"));
	}
}
