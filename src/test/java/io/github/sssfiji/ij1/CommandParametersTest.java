package io.github.sssfiji.ij1;

import static io.github.sssfiji.ij1.MacroOptionsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleException;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import io.github.sssfiji.command.EvaluateCommand;
import io.github.sssfiji.command.GeneratePromptsCommand;
import io.github.sssfiji.command.GeneratePromptsFolderCommand;
import io.github.sssfiji.command.OptionsCommand;
import io.github.sssfiji.command.SegmentFolderCommand;

/** Macro option values set on the SSS commands' modules, and the errors a macro user sees. */
class CommandParametersTest {

	private static final ImagePlus HEART = new ImagePlus("heart.tif", new ByteProcessor(4, 3));
	private static final ImagePlus ACTIVE = new ImagePlus("active", new ByteProcessor(4, 3));

	/** Two open images, {@link #ACTIVE} in front. */
	private static final CommandParameters.Images OPEN = new CommandParameters.Images() {

		@Override
		public ImagePlus byTitle(final String title) {
			return title.equals(HEART.getTitle()) ? HEART : title.equals(ACTIVE.getTitle()) ? ACTIVE : null;
		}

		@Override
		public ImagePlus current() {
			return ACTIVE;
		}
	};

	private static final CommandParameters.Images NONE = new CommandParameters.Images() {

		@Override
		public ImagePlus byTitle(final String title) {
			return null;
		}

		@Override
		public ImagePlus current() {
			return null;
		}
	};

	private static CommandInfo info(final Class<? extends org.scijava.command.Command> type) {
		return new CommandInfo(type);
	}

	private static Module apply(final Class<? extends org.scijava.command.Command> type, final String options, final CommandParameters.Images images) throws ModuleException {
		final CommandInfo info = info(type);
		final Module module = info.createModule();
		CommandParameters.of(info).apply(module, MacroOptions.parse(options), images);
		return module;
	}

	@Test
	void keysAreTheParameterNamesWithoutServices() throws ModuleException {
		assertEquals(List.of("prediction", "ground_truth", "classes", "output"), CommandParameters.of(info(EvaluateCommand.class)).names());
		assertEquals(List.of("device", "threads", "models_folder", "max_voxels"), CommandParameters.of(info(OptionsCommand.class)).names(),
			"the SssService and LogService are injected, not keys");
		assertEquals(List.of("rule", "window", "min_support", "min_area", "iou", "d_max", "area_ratio", "prompt_freq", "confidence", "single_instance",
			"input", "output"), CommandParameters.of(info(GeneratePromptsFolderCommand.class)).names());
		assertEquals("SSS Generate Prompts (PCSW) from File", CommandParameters.of(info(GeneratePromptsFolderCommand.class)).title(),
			"the title is the menu label that plugins.config repeats");
	}

	@Test
	void convertsValuesToTheParameterTypes() throws ModuleException {
		final Module module = apply(GeneratePromptsFolderCommand.class,
			"input=[/data/my labels.nii.gz] output=/tmp/out window=5 iou=0.25 d_max=7.5 min_area=12.0 single_instance ", NONE);
		assertEquals(new File("/data/my labels.nii.gz"), module.getInput("input"));
		assertEquals(new File("/tmp/out"), module.getInput("output"));
		assertEquals(5, module.getInput("window"));
		assertEquals(12, module.getInput("min_area"), "ImageJ may record an integer field as 12.0");
		assertEquals(0.25, module.getInput("iou"));
		assertEquals(7.5, module.getInput("d_max"));
		assertEquals(true, module.getInput("single_instance"));
		assertEquals(2, module.getInput("min_support"), "keys not given keep the command's default");
		assertEquals(0.95, module.getInput("confidence"));

		assertEquals(false, apply(GeneratePromptsFolderCommand.class, "input=a output=b single_instance=false", NONE).getInput("single_instance"));
		assertEquals(true, apply(GeneratePromptsFolderCommand.class, "input=a output=b single_instance=TRUE", NONE).getInput("single_instance"));
	}

	@Test
	void aShardIsPassedAsTextAndIsEmptyWhenNotGiven() throws ModuleException {
		assertEquals("2/8", apply(SegmentFolderCommand.class, "model=[/m.sss] input=[/data/in] output=[/data/out] shard=2/8", NONE).getInput("shard"));
		assertEquals("", apply(SegmentFolderCommand.class, "model=[/m.sss] input=[/data/in] output=[/data/out]", NONE).getInput("shard"));
	}

	@Test
	void unknownKeysAreReportedWithTheValidOnes() throws ModuleException {
		assertMessage("unknown key 'groundtruth'; valid keys: prediction, ground_truth, classes, output",
			() -> apply(EvaluateCommand.class, "prediction=a groundtruth=b", NONE));
		assertMessage("unknown keys 'minSupport' (keys are lower case), 'fill'",
			() -> apply(GeneratePromptsFolderCommand.class, "input=a output=b minSupport=3 fill", NONE));
	}

	@Test
	void badValuesNameTheKeyAndWhatItExpects() throws ModuleException {
		assertMessage("key 'window' expects an integer, got '3.5'", () -> apply(GeneratePromptsFolderCommand.class, "input=a output=b window=3.5", NONE));
		assertMessage("key 'min_area' expects an integer, got 'ten'", () -> apply(GeneratePromptsFolderCommand.class, "input=a output=b min_area=ten", NONE));
		assertMessage("key 'iou' expects a number, got '0,2'", () -> apply(GeneratePromptsFolderCommand.class, "input=a output=b iou=0,2", NONE));
		assertMessage("key 'single_instance' expects true or false", () -> apply(GeneratePromptsFolderCommand.class, "input=a output=b single_instance=yes", NONE));
		assertMessage("key 'threads' expects an integer within the int range, got '3000000000'", () -> apply(OptionsCommand.class, "threads=3000000000", NONE));
		assertMessage("key 'device' expects one of auto, cpu, got 'gpu'", () -> apply(OptionsCommand.class, "device=gpu", NONE));
		assertEquals("cpu", apply(OptionsCommand.class, "device=cpu", NONE).getInput("device"));
		assertMessage("key 'max_voxels' expects an integer, got 'lots'", () -> apply(OptionsCommand.class, "max_voxels=lots", NONE));
		assertEquals(3_000_000_000L, apply(OptionsCommand.class, "max_voxels=3000000000", NONE).getInput("max_voxels"), "a long: above the int range");
	}

	@Test
	void requiredInputsWithoutDefaultMustBeGiven() throws ModuleException {
		assertMessage("key 'ground_truth' (Ground truth (file or folder)) is required", () -> apply(EvaluateCommand.class, "prediction=a", NONE));
		final Module optional = apply(EvaluateCommand.class, "prediction=a ground_truth=b output=[]", NONE);
		assertNull(optional.getInput("output"), "an empty optional file is no file");
		assertEquals("", optional.getInput("classes"));
	}

	@Test
	void imagesComeByTitleOrAsTheActiveImage() throws ModuleException {
		assertSame(HEART, apply(GeneratePromptsCommand.class, "input=heart.tif", OPEN).getInput("input"));
		assertSame(ACTIVE, apply(GeneratePromptsCommand.class, "window=3", OPEN).getInput("input"));
		assertMessage("key 'input': no open image is titled 'lung.tif'", () -> apply(GeneratePromptsCommand.class, "input=lung.tif", OPEN));
		assertMessage("no image is open; open one or give key 'input' the title of an image", () -> apply(GeneratePromptsCommand.class, "", NONE));
	}

	@Test
	void dialogValuesTakeTheSamePath() throws ModuleException {
		// CommandDialog returns every field as text, numbers of integer fields without decimals
		final Module module = info(OptionsCommand.class).createModule();
		CommandParameters.of(info(OptionsCommand.class)).apply(module, Map.of("device", "cpu", "threads", "3", "models_folder", ""), NONE);
		assertEquals(3, module.getInput("threads"));
		assertNull(module.getInput("models_folder"));
	}
}
