// SSS Interactive SAM-2 in a truly headless macro, on the SAM-2 parity fixture (not part of the repository):
//   tests/macros.sh tests/interactive-sam2-headless.ijm
// Imports the fixture's official checkpoint, opens its 256 x 256 uint8 image, and prompts with a selection
// set by the macro: the box of the fixture's case c_box, then the points of b_points_pos_neg (one
// positive, one negative through the sam2_labels property). The masks must have the pixel counts of the
// official predictor's masks (prompts/*/masks_bool.npy: 65488 for c_box single, 65518 for the best of
// b_points_pos_neg multi; the micro model's masks cover almost the whole image).
//
// Arguments: "sample=DIR output=DIR [fixture=DIR]"; the fixture defaults to ../shared/fixtures/sam2-parity
// beside the checkout (sample-data's grandparent), as the tests find it.

argument = getArgument();
sample = call("ij.Macro.getValue", argument, "sample", getDirectory("cwd") + "sample-data");
output = call("ij.Macro.getValue", argument, "output", getDirectory("cwd") + "sss-macro-output/interactive-sam2-headless");
fixture = call("ij.Macro.getValue", argument, "fixture", File.getParent(File.getParent(sample)) + "/shared/fixtures/sam2-parity");
if (!File.exists(fixture + "/weights.pt")) exit("interactive-sam2-headless.ijm: no SAM-2 parity fixture at " + fixture);
setBatchMode(true);
File.makeDirectory(output);

model = output + "/micro.sam2.zip";
run("SSS Import SAM-2 Weights", "checkpoint=[" + fixture + "/weights.pt] config=[" + fixture + "/config.json] output=[" + model + "]");
if (!File.exists(model)) exit("interactive-sam2-headless.ijm: no model file written");

// the .npy holds a 128-byte header before the 256 x 256 uint8 pixels
run("Raw...", "open=[" + fixture + "/image/image_u8.npy] image=8-bit width=256 height=256 offset=128 number=1");
rename("fixture");

makeRectangle(40, 70, 151, 141); // the box (40, 70, 190, 210)
run("SSS Interactive SAM-2", "model=[" + model + "]");
getHistogram(values, counts, 256);
if (getTitle() != "fixture-sam2" || counts[255] != 65488) exit("interactive-sam2-headless.ijm: box mask " + getTitle() + " has " + counts[255] + " pixels, expected 65488");
print("box: " + counts[255] + " mask pixels, as the official predictor");

selectImage("fixture");
makeSelection("point", newArray(150, 60.5), newArray(97, 180.25));
Roi.setProperty("sam2_labels", "1,0");
run("SSS Interactive SAM-2", "model=[" + model + "] multimask=true");
getHistogram(values, counts, 256);
if (counts[255] != 65518) exit("interactive-sam2-headless.ijm: point mask has " + counts[255] + " pixels, expected 65518");
print("points: " + counts[255] + " mask pixels, as the official predictor");
close("*");
print("MACRO OK interactive-sam2-headless");
