// HDF5 reading: jhdf over its file channel (what Hdf5Images did) against jhdf over a read-only memory map (what it
// does for files up to 2 GiB), reading the image and label datasets of every ACDC file, three rounds alternating.
// Run from the repository root after `mvn -B -q -DskipTests package`:
//   jshell --class-path target/sss-app.jar bench/io/hdf5-open.jsh
// Data: every .h5 under ../shared/data/acdc/data (1,312 training slices and 20 validation volumes: 1,332 files).
import io.jhdf.HdfFile;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.*;

long read(List<Path> files, boolean map) throws Exception {
	long sum = 0;
	for (Path p : files) {
		HdfFile f;
		if (map) try (FileChannel c = FileChannel.open(p)) { f = HdfFile.fromByteBuffer(c.map(FileChannel.MapMode.READ_ONLY, 0, Files.size(p))); }
		else f = new HdfFile(p);
		try (f) {
			// touch the data so that nothing is skipped
			sum += java.lang.reflect.Array.getLength(f.getDatasetByPath("image").getData()) + java.lang.reflect.Array.getLength(f.getDatasetByPath("label").getData());
		}
	}
	return sum;
}
List<Path> files = new ArrayList<>();
try (var s = Files.walk(Path.of("../shared/data/acdc/data"))) { s.filter(p -> p.toString().endsWith(".h5")).sorted().forEach(files::add); }
System.out.println(Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
for (int r = 1; r <= 3; r++) {
	double[] s = new double[2];
	for (int m = 0; m < 2; m++) {
		long t = System.nanoTime();
		read(files, m == 1);
		s[m] = (System.nanoTime() - t) / 1e9;
	}
	System.out.printf("round %d: %d files, channel %.2f s, map %.2f s, channel / map %.2f%n", r, files.size(), s[0], s[1], s[0] / s[1]);
}
/exit
