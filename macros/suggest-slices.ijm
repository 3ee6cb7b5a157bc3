// SSS: which slices to label next, for an open stack and for a dataset folder.
//
// Arguments (all optional): "sample=DIR output=DIR model=FILE"
//   sample  the sample data folder (default: sample-data in the working directory); its unlabeled
//           volumes are ranked
//   output  where results go (default: sss-macro-output/suggest-slices in the working directory):
//           suggestions.csv; nothing is written anywhere else
//   model   a model file made by SSS Train (e.g. by train-folder.ijm). Without one this macro first
//           trains a stand-in model on a drawn stack into output/model.sss, so that it runs on its own
//           (its suggestions are not meaningful; use a real model for real data)
// Headless: tests/macros.sh macros/suggest-slices.ijm, or
//   Fiji --headless --console -macro macros/suggest-slices.ijm "model=/abs/model.sss sample=/abs/sample-data output=/abs/out"

cwd = call("java.lang.System.getProperty", "user.dir");
argument = getArgument();
sample = call("ij.Macro.getValue", argument, "sample", cwd + "/sample-data");
output = call("ij.Macro.getValue", argument, "output", cwd + "/sss-macro-output/suggest-slices");
model = call("ij.Macro.getValue", argument, "model", "");
setBatchMode(true);
File.makeDirectory(output);

if (model == "") {
	// a stand-in model, trained in seconds on a drawn stack and its label image (as segment-folder.ijm)
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
if (!File.exists(model)) exit("suggest-slices.ijm: no model file " + model);

// 1. An open stack: the best slices in the Results table (image_slice counts from 1, as ImageJ
//    does) and one full-slice rectangle per suggestion in the image's overlay, named with rank and score.
newImage("stack", "8-bit ramp", 64, 64, 6);
run("SSS Suggest Slices", "model=[" + model + "] image=stack count=2 spacing=0");
if (nResults != 2) exit("suggest-slices.ijm: 2 suggestions expected in the Results table, got " + nResults);
selectImage("stack");
if (Overlay.size != 2) exit("suggest-slices.ijm: 2 slice marks expected in the overlay, got " + Overlay.size);
for (row = 0; row < nResults; row++) {
	Overlay.activateSelection(row);
	print("stack: #" + getResult("rank", row) + " slice " + getResult("image_slice", row) + ", score " + d2s(getResult("score", row), 4) +
		" (" + selectionName + ")");
	run("Select None");
}
close("stack");

// 2. A dataset folder: its unlabelled slices, as the CLI's suggest ranks them, in a CSV file.
csv = output + "/suggestions.csv";
run("SSS Suggest Slices", "model=[" + model + "] data=[" + sample + "] count=3 output=[" + csv + "]");
if (!File.exists(csv)) exit("suggest-slices.ijm: " + csv + " was not written");
lines = split(File.openAsString(csv), "\n");
if (lines.length != 4 || nResults != 3) exit("suggest-slices.ijm: 3 suggestions expected in " + csv + " and the Results table");
print("folder: " + lines[1] + " ... in " + csv);
print("MACRO OK suggest-slices");
