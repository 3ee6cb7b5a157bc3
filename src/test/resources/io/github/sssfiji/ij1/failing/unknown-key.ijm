// Must fail: a misspelt key (groundtruth) aborts the macro with an error that names it.
output = call("ij.Macro.getValue", getArgument(), "output", "");
run("SSS Evaluate", "prediction=[" + output + "/a.nii.gz] groundtruth=[" + output + "/b.nii.gz]");
print("MACRO OK unknown-key");
