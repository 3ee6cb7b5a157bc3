// SSS: PCSW prompts (physically constrained filtering of a label volume, SAM-2 box and click prompts).
//
// Arguments (all optional): "sample=DIR output=DIR"
//   sample  the sample data folder (default: sample-data in the working directory)
//   output  where results go (default: sss-macro-output/pcsw-prompts in the working directory);
//           nothing is written anywhere else
// Headless: tests/macros.sh macros/pcsw-prompts.ijm, or
//   Fiji --headless --console -macro macros/pcsw-prompts.ijm "sample=/abs/sample-data output=/abs/out"

cwd = call("java.lang.System.getProperty", "user.dir");
argument = getArgument();
sample = call("ij.Macro.getValue", argument, "sample", cwd + "/sample-data");
output = call("ij.Macro.getValue", argument, "output", cwd + "/sss-macro-output/pcsw-prompts");
setBatchMode(true);

// 1. From a file (the route for any format SSS reads, NIfTI included): writes filtered.nii.gz,
//    rejected.nii.gz and prompts.json into a folder.
labels = sample + "/test/labels/synthetic_014.nii.gz";
if (!File.exists(labels)) exit("pcsw-prompts.ijm: no sample label file " + labels);
fromFile = output + "/synthetic_014";
File.makeDirectory(output);
File.makeDirectory(fromFile);
run("SSS Generate Prompts (PCSW) from File", "input=[" + labels + "] output=[" + fromFile + "] window=3 min_support=2 prompt_freq=2 single_instance=true");
names = newArray("filtered.nii.gz", "rejected.nii.gz", "prompts.json");
for (i = 0; i < names.length; i++)
	if (!File.exists(fromFile + "/" + names[i])) exit("pcsw-prompts.ijm: " + names[i] + " was not written into " + fromFile);
json = File.openAsString(fromFile + "/prompts.json");
print("from file: " + (lengthOf(json) - lengthOf(replace(json, "\"click\"", "")))/7 + " prompts in " + fromFile + "/prompts.json");

// 2. On an open image: a 6-slice label stack with a disc of class 2 on every slice and a small
//    blob of class 1 on slice 4 only, which lacks support along z and is rejected.
newImage("labels", "8-bit black", 64, 64, 6);
for (z = 1; z <= 6; z++) {
	setSlice(z);
	setColor(2);
	fillOval(22, 22, 20, 20);
	if (z == 4) {
		setColor(1);
		fillRect(50, 50, 6, 6);
	}
}
onImage = output + "/image";
File.makeDirectory(onImage);
saveAs("Tiff", onImage + "/labels.tif");
run("SSS Generate Prompts (PCSW)", "input=labels.tif window=3 min_support=2 prompt_freq=2 single_instance=true");
// the filtered stack is now the active image; the prompts are its overlay (and in the ROI Manager when interactive)
if (getTitle() != "labels-pcsw") exit("pcsw-prompts.ijm: expected the filtered image, got " + getTitle());
setSlice(4);
if (getPixel(52, 52) != 0 || getPixel(32, 32) != 2) exit("pcsw-prompts.ijm: the blob should be rejected and the disc kept");
rois = Overlay.size;
print("on an image: " + rois + " prompt ROIs (a box and a click per class and prompted slice)");
saveAs("Tiff", onImage + "/labels-pcsw.tif");
close("*");
print("MACRO OK pcsw-prompts");
