// Must fail: the command itself refuses a file that does not exist, and the macro stops there.
output = call("ij.Macro.getValue", getArgument(), "output", "");
run("SSS Generate Prompts (PCSW) from File", "input=[" + output + "/no such labels.nii.gz] output=[" + output + "]");
print("MACRO OK missing-file");
