package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.unet.UNetConfig;

/** {@link Networks#create} builds every kind from its architecture record, and refuses unknown ones. */
class NetworksTest {

	@Test
	void buildsEachKindFromItsArchitecture() {
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			try (Network unet = UNetNetwork.create(UNetConfig.uniMatch(1, 4), root, 0);
				Network again = Networks.create("unet", unet.architecture(), root, 1, "test"))
			{
				assertEquals(unet.state().parameterCount(), again.state().parameterCount());
			}
			final JsonObject architecture = new JsonObject();
			architecture.addProperty("classes", 3);
			architecture.addProperty("imageSize", 64);
			for (final String kind : Sam2Network.KINDS)
				try (Network net = Networks.create(kind, architecture, root, 0, "test"); NDManager step = root.newSubManager()) {
					assertEquals(kind, net.kind());
					assertEquals(3, net.classes());
					final Sam2Config config = ((Sam2Network) net).config();
					assertEquals(64, config.imageSize());
					assertEquals(kind.equals(Sam2Network.MICRO) ? 48 : 256, net.featureChannels()[2]);
					final NDArray logits = net.decode(net.encode(step.zeros(new Shape(1, 1, 64, 64)), false), false);
					assertEquals(new Shape(1, 3, 64, 64), logits.getShape());
					// the state names official keys (plus the class tokens) and leaves out the memory modules
					final Set<String> official = Sam2Model.expectedShapes(config).keySet();
					for (final String name : net.state().parameters().keySet())
						assertTrue(official.contains(name) || name.equals(Sam2Network.CLASS_TOKENS), name);
					assertTrue(net.state().parameters().keySet().stream().noneMatch(k -> k.startsWith("memory_")));
					// the architecture record rebuilds the same network (checked on the micro model only, for speed)
					if (kind.equals(Sam2Network.MICRO)) try (Network copy = Networks.create(kind, net.architecture(), root, 1, "test")) {
						assertEquals(net.state().parameterCount(), copy.state().parameterCount());
					}
				}
			final InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> Networks.create("resnet", architecture, root, 0, "f.json"));
			assertTrue(unknown.getMessage().contains("f.json") && unknown.getMessage().contains("sam2-micro"), unknown.getMessage());
			final JsonObject wrong = architecture.deepCopy();
			wrong.add("sam2", Sam2Config.micro().toJson());
			assertThrows(InvalidInputException.class, () -> Networks.create(Sam2Network.TINY, wrong, root, 0, "f.json"));
		}
	}
}
