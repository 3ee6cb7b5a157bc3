// SSS: train a segmentation model on a dataset folder (here the sample data, plain images/labels layout).
//
// Arguments (all optional): "sample=DIR output=DIR iterations=N mode=M"
//   sample      the dataset folder (default: sample-data in the working directory); any layout SSS
//               reads: plain images/ + labels/ (+ unlabeled/, val/), nnU-Net, ACDC HDF5 with split=
//   output      where results go (default: sss-macro-output/train-folder in the working directory):
//               the model file model.sss and its run folder model.training/ (checkpoints); nothing is
//               written anywhere else
//   iterations  training iterations (default 2: a smoke test of seconds; real runs use thousands, and
//               budget_minutes to stop after a time)
//   mode        sss (the SSS method: also learns from unlabeled/, with DFE and PCSW), consistency, or
//               supervised (labelled cases only); default supervised, the quickest for this smoke test
//   test        true (default) scores the best and the last model once, after training, on the dataset's
//               held-out test role (test/, nnU-Net imagesTs + labelsTs, or a test.txt), into the model's
//               provenance (Plugins > Segmentation > SSS > SSS Model Info shows it); false skips it
// Headless: tests/macros.sh macros/train-folder.ijm, or
//   Fiji --headless --console -macro macros/train-folder.ijm "sample=/abs/dataset output=/abs/out iterations=2000"

cwd = call("java.lang.System.getProperty", "user.dir");
argument = getArgument();
sample = call("ij.Macro.getValue", argument, "sample", cwd + "/sample-data");
output = call("ij.Macro.getValue", argument, "output", cwd + "/sss-macro-output/train-folder");
iterations = call("ij.Macro.getValue", argument, "iterations", "2");
mode = call("ij.Macro.getValue", argument, "mode", "supervised");
test = call("ij.Macro.getValue", argument, "test", "true");
setBatchMode(true);
File.makeDirectory(output);

// the labelled cases (with mode sss also the unlabelled ones), validation on val/ after every
// validation_interval iterations and at the end; best.sss is the model with the best validation Dice.
// A tiny crop and batch keep this demonstration short; the defaults (crop 256, batch 8) suit real data.
// The summary (iterations, best validation Dice) and the test Dice go to the Log window.
model = output + "/model.sss";
run("SSS Train", "data=[" + sample + "] mode=" + mode + " budget_minutes=5 iterations=" + iterations +
	" crop=32 batch=2 validation_interval=" + iterations + " test=" + test + " output=[" + model + "]");
if (!File.exists(model)) exit("train-folder.ijm: " + model + " was not written");
if (!File.exists(output + "/model.training/last.state")) exit("train-folder.ijm: no checkpoint in " + output + "/model.training");

print("model: " + model + " (" + File.length(model) + " bytes)");
print("MACRO OK train-folder");
