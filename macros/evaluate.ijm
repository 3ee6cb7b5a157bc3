// SSS: evaluate a segmentation against its reference (Dice, Jaccard, HD95, ASD, ASSD per class).
//
// Arguments (all optional): "sample=DIR output=DIR prediction=FILE_OR_FOLDER ground_truth=FILE_OR_FOLDER"
//   sample        the sample data folder (default: sample-data in the working directory)
//   output        where results go (default: sss-macro-output/evaluate in the working directory);
//                 nothing is written anywhere else
//   prediction    what to evaluate; by default the PCSW-filtered test label synthetic_014, made here
//   ground_truth  the reference (default: the test label synthetic_014 of the sample data)
// Headless: tests/macros.sh macros/evaluate.ijm, or
//   Fiji --headless --console -macro macros/evaluate.ijm "prediction=/abs/pred ground_truth=/abs/gt output=/abs/out"

cwd = call("java.lang.System.getProperty", "user.dir");
argument = getArgument();
sample = call("ij.Macro.getValue", argument, "sample", cwd + "/sample-data");
output = call("ij.Macro.getValue", argument, "output", cwd + "/sss-macro-output/evaluate");
groundTruth = call("ij.Macro.getValue", argument, "ground_truth", sample + "/test/labels/synthetic_014.nii.gz");
prediction = call("ij.Macro.getValue", argument, "prediction", "");
setBatchMode(true);
File.makeDirectory(output);

if (prediction == "") {
	// a prediction to evaluate: the test label after PCSW filtering
	prediction = output + "/pcsw/filtered.nii.gz";
	File.makeDirectory(output + "/pcsw");
	run("SSS Generate Prompts (PCSW) from File", "input=[" + groundTruth + "] output=[" + output + "/pcsw] single_instance=true");
}
csv = output + "/metrics.csv";
run("SSS Evaluate", "prediction=[" + prediction + "] ground_truth=[" + groundTruth + "] output=[" + csv + "]");
if (!File.exists(csv)) exit("evaluate.ijm: " + csv + " was not written");

// one row per case and class in the Results table
sum = 0;
n = 0;
for (row = 0; row < nResults; row++) {
	dice = getResult("dice", row);
	print(getResultString("case", row) + " class " + getResult("class", row) + ": Dice " + d2s(dice, 4) + ", HD95 " + d2s(getResult("hd95", row), 2) + " mm");
	if (!isNaN(dice)) {
		sum += dice;
		n++;
	}
}
if (n == 0) exit("evaluate.ijm: no Dice in the Results table");
print("mean Dice: " + d2s(sum / n, 4) + " over " + n + " rows");
print("MACRO OK evaluate");
