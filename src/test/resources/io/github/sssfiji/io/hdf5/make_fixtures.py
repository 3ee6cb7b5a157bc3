#!/usr/bin/python3
"""Writes the HDF5 fixtures of Hdf5ImagesTest with h5py (Debian python3-h5py), laid out as the
SSL4MIS/UniMatch ACDC files: datasets `image` (float32) and `label` (uint8), chunked, gzip level 4.
Run from this folder: /usr/bin/python3 make_fixtures.py"""
import h5py
import numpy as np

def write(name, **datasets):
	with h5py.File(name, "w") as f:
		for key, value in datasets.items():
			f.create_dataset(key, data=value, chunks=True, compression="gzip", compression_opts=4)

z, y, x = np.meshgrid(np.arange(3), np.arange(4), np.arange(5), indexing="ij")
# (Z, H, W) = (3, 4, 5); image value encodes its own position, label value a pattern over it
write("volume.h5", image=(z * 100 + y * 10 + x + 0.5).astype(np.float32), label=((x + 2 * y + 3 * z) % 4).astype(np.uint8))
yy, xx = np.meshgrid(np.arange(4), np.arange(5), indexing="ij")
slice_label = np.zeros((4, 5), np.uint8)
slice_label[3, 4] = 255  # unsigned: must not come back as -1
write("slice.h5", image=(yy * 10 + xx).astype(np.float32), label=slice_label)
write("image_only.h5", image=np.zeros((4, 5), np.float32))
write("rank4.h5", image=np.zeros((2, 3, 4, 5), np.float32), label=np.zeros((2, 3, 4, 5), np.uint8))
write("label_out_of_range.h5", image=np.zeros((4, 5), np.float32), label=np.full((4, 5), 300, np.int16))
write("label_fractional.h5", image=np.zeros((4, 5), np.float32), label=np.full((4, 5), 1.5, np.float32))
write("image_float64.h5", image=(yy * 10 + xx).astype(np.float64), label=np.zeros((4, 5), np.uint8))
with h5py.File("image_is_group.h5", "w") as f:
	f.create_group("image")
