#!/usr/bin/python3
"""Writes the tiny DICOM fixtures of ImageJ1ReaderTest (run with Debian's python3-pydicom, 2.3).

series/      four 16-bit unsigned slices, 6 columns x 5 rows, pixel (x, y) of the slice at position
             index k holds 1000*k + 10*y + x. Pixel Spacing 0.8 (rows) \\ 0.6 (columns) mm,
             Slice Thickness 2.0 mm, Image Position (Patient) z = -10.0 + 2.5*k, so the slices are
             2.5 mm apart (a gap of 0.5 mm). The file names are shuffled so that their alphabetical
             order is not the anatomical order; Instance Number follows the position.
ct_signed.dcm one signed 16-bit slice, 4 columns x 3 rows, stored value s = 10*y + x - 5,
             Rescale Slope 1, Rescale Intercept -1024, so the physical value is s - 1024;
             Pixel Spacing 0.5 \\ 0.5 mm, Slice Thickness 3.0 mm.
ct_slope2.dcm the same with Rescale Slope 2 (physical value 2*s - 1024): ImageJ 1.x turns such a
             file into 32-bit through its menu commands, which need ij1-patcher when headless.

Usage: python3 make_dicom.py [output folder, default: the folder of this script]
"""
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

MR_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
# fixed UIDs keep the files byte-identical between runs
ROOT = "1.2.826.0.1.3680043.10.1234."


def base_dataset(path, sop_class, sop_instance):
	meta = FileMetaDataset()
	meta.MediaStorageSOPClassUID = sop_class
	meta.MediaStorageSOPInstanceUID = sop_instance
	meta.TransferSyntaxUID = ExplicitVRLittleEndian
	meta.ImplementationClassUID = ROOT + "1"
	ds = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
	ds.is_little_endian = True
	ds.is_implicit_VR = False
	ds.SOPClassUID = sop_class
	ds.SOPInstanceUID = sop_instance
	ds.PatientName = "Synthetic^Fixture"
	ds.PatientID = "SSS0001"
	ds.StudyInstanceUID = ROOT + "2"
	ds.SamplesPerPixel = 1
	ds.PhotometricInterpretation = "MONOCHROME2"
	ds.BitsAllocated = 16
	ds.BitsStored = 16
	ds.HighBit = 15
	ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
	return ds


def write_series(folder):
	os.makedirs(folder, exist_ok=True)
	columns, rows, slices = 6, 5, 4
	# shuffled names: alphabetical order c, a, d, b is not the position order 0, 1, 2, 3
	names = ["c_slice.dcm", "a_slice.dcm", "d_slice.dcm", "b_slice.dcm"]
	y, x = np.mgrid[0:rows, 0:columns]
	for k in range(slices):
		path = os.path.join(folder, names[k])
		ds = base_dataset(path, MR_STORAGE, ROOT + "3." + str(k + 1))
		ds.Modality = "MR"
		ds.SeriesInstanceUID = ROOT + "4"
		ds.SeriesNumber = 1
		ds.InstanceNumber = k + 1
		ds.Rows = rows
		ds.Columns = columns
		ds.PixelRepresentation = 0
		ds.PixelSpacing = [0.8, 0.6]
		ds.SliceThickness = 2.0
		ds.ImagePositionPatient = [0.0, 0.0, -10.0 + 2.5 * k]
		ds.SliceLocation = -10.0 + 2.5 * k
		ds.PixelData = (1000 * k + 10 * y + x).astype("<u2").tobytes()
		ds.save_as(path, write_like_original=False)


def write_signed(path, slope, uid):
	columns, rows = 4, 3
	ds = base_dataset(path, CT_STORAGE, ROOT + "5." + uid)
	ds.Modality = "CT"
	ds.SeriesInstanceUID = ROOT + "6"
	ds.SeriesNumber = 2
	ds.InstanceNumber = 1
	ds.Rows = rows
	ds.Columns = columns
	ds.PixelRepresentation = 1
	ds.PixelSpacing = [0.5, 0.5]
	ds.SliceThickness = 3.0
	ds.ImagePositionPatient = [0.0, 0.0, 0.0]
	ds.RescaleSlope = slope
	ds.RescaleIntercept = -1024
	y, x = np.mgrid[0:rows, 0:columns]
	ds.PixelData = (10 * y + x - 5).astype("<i2").tobytes()
	ds.save_as(path, write_like_original=False)


if __name__ == "__main__":
	out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
	write_series(os.path.join(out, "series"))
	write_signed(os.path.join(out, "ct_signed.dcm"), 1, "1")
	write_signed(os.path.join(out, "ct_slope2.dcm"), 2, "2")
