// SSS: segment every image of a folder with a trained model, and one open image.
//
// Arguments (all optional): "sample=DIR output=DIR model=FILE"
//   sample  the sample data folder (default: sample-data in the working directory); its test/images
//           are segmented
//   output  where results go (default: sss-macro-output/segment-folder in the working directory):
//           labels/<name>.nii.gz per image; nothing is written anywhere else
//   model   a model file made by SSS Train (e.g. by train-folder.ijm). Without one this macro first
//           trains a stand-in model on a drawn stack into output/model.sss, so that it runs on its own
//           (its labels are not meaningful; use a real model for real data)
// Headless: tests/macros.sh macros/segment-folder.ijm, or
//   Fiji --headless --console -macro macros/segment-folder.ijm "model=/abs/model.sss sample=/abs/sample-data output=/abs/out"

cwd = call("java.lang.System.getProperty", "user.dir");
argument = getArgument();
sample = call("ij.Macro.getValue", argument, "sample", cwd + "/sample-data");
output = call("ij.Macro.getValue", argument, "output", cwd + "/sss-macro-output/segment-folder");
model = call("ij.Macro.getValue", argument, "model", "");
setBatchMode(true);
File.makeDirectory(output);

if (model == "") {
	// a stand-in model, trained in seconds on a drawn stack and its label image (SSS Train's route
	// for an open image): a disc (class 1) in a ring (class 2) on 4 slices
	newImage("drawn", "8-bit black", 64, 64, 4);
	newImage("drawn-labels", "8-bit black", 64, 64, 4);
	for (z = 1; z <= 4; z++) {
		selectImage("drawn");
		setSlice(z);
		setColor(120);
		fillOval(16, 16, 32, 32);
		setColor(220);
		fillOval(24, 24, 16, 16);
		selectImage("drawn-labels");
		setSlice(z);
		setColor(2);
		fillOval(16, 16, 32, 32);
		setColor(1);
		fillOval(24, 24, 16, 16);
	}
	model = output + "/model.sss";
	run("SSS Train", "image=drawn labels=drawn-labels mode=supervised budget_minutes=5 iterations=1 crop=32 batch=2 output=[" + model + "]");
	close("drawn*");
}
if (!File.exists(model)) exit("segment-folder.ijm: no model file " + model);

// 1. A folder: one NIfTI label map per image, with the image's geometry. Files whose label map
//    exists are skipped, so a second run (or a run after an interruption) only does what is left.
images = sample + "/test/images";
labels = output + "/labels";
run("SSS Segment Folder", "model=[" + model + "] input=[" + images + "] output=[" + labels + "] file_filter=[*.nii.gz]");
names = getFileList(images);
for (i = 0; i < names.length; i++)
	if (!File.exists(labels + "/" + names[i])) exit("segment-folder.ijm: no label map for " + names[i] + " in " + labels);
print("folder: " + names.length + " label maps in " + labels);
first = File.lastModified(labels + "/" + names[0]);
wait(1100);
run("SSS Segment Folder", "model=[" + model + "] input=[" + images + "] output=[" + labels + "] file_filter=[*.nii.gz]");
if (File.lastModified(labels + "/" + names[0]) != first) exit("segment-folder.ijm: the second run should skip the files already done");

// 2. An open image: the label image (calibrated like the input) and, on request, the probability
//    maps (one channel per class) open as new images.
newImage("heart", "8-bit ramp", 96, 80, 3);
run("Properties...", "unit=mm pixel_width=1.5 pixel_height=1.5 voxel_depth=8");
run("SSS Segment Image", "image=heart model=[" + model + "] probabilities");
if (!isOpen("heart-labels") || !isOpen("heart-probabilities")) exit("segment-folder.ijm: the label and probability images should be open");
selectImage("heart-labels");
getVoxelSize(width, height, depth, unit);
if (nSlices != 3 || width != 1.5 || depth != 8) exit("segment-folder.ijm: the label image should have 3 slices and the input's calibration");
saveAs("Tiff", output + "/heart-labels.tif");
selectImage("heart-probabilities");
getDimensions(w, h, channels, slices, frames);
print("image: heart-labels and heart-probabilities (" + channels + " classes, " + slices + " slices)");
close("*");
print("MACRO OK segment-folder");
