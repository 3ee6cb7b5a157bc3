#!/usr/bin/python3
"""Writes the small NIfTI reference files that NiftiReaderTest and NiftiWriterTest read, and
expected.properties with the values nibabel reports for each of them.

Run from any folder with Debian's python3-nibabel and python3-numpy:
    /usr/bin/python3 make_fixtures.py
It rewrites the files next to this script. The output is deterministic (fixed seeds), so a rerun
changes nothing unless nibabel's on-disk conventions change.
"""
import gzip
import math
import os
import shutil

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE3 = (5, 4, 3)
rng = np.random.RandomState(20260101)


def path(name):
    return os.path.join(HERE, name)


def with_extremes(data, values):
    """Puts the type's extreme values at the first voxels (x fastest) so sign handling is tested."""
    flat = data.reshape(-1, order='F')
    flat[:len(values)] = values
    return flat.reshape(data.shape, order='F')


def oblique_affine(angles_deg, zooms, offset, flip_x=False):
    ax, ay, az = (math.radians(a) for a in angles_deg)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    rot = rz @ ry @ rx
    if flip_x:
        rot = rot @ np.diag([-1, 1, 1])
    affine = np.eye(4)
    affine[:3, :3] = rot @ np.diag(zooms)
    affine[:3, 3] = offset
    return affine


def save(img, name):
    img.to_filename(path(name))
    return name


fixtures = []  # (file name, note)


def plain(dtype, name, extremes=(), shape=SHAPE3, zooms=(0.5, 0.75, 2.0), low=-50, high=200,
          header=None, cls=nib.Nifti1Image):
    if np.issubdtype(np.dtype(dtype), np.integer):
        info = np.iinfo(dtype)
        data = rng.randint(max(low, info.min), min(high, info.max) + 1, size=shape).astype(dtype)
    else:
        data = (rng.standard_normal(size=shape) * 100).astype(dtype)
    data = with_extremes(data, np.array(extremes, dtype=dtype))
    affine = np.diag(list(zooms) + [1.0] * (4 - len(zooms)))[:4, :4] if len(zooms) <= 3 else np.diag(list(zooms[:3]) + [1.0])
    img = cls(data, affine, header=header)
    img.header.set_data_dtype(dtype)
    if len(shape) > 3:
        img.header.set_zooms(zooms)
    fixtures.append(save(img, name))


# one file per supported datatype; gz and plain mixed
plain(np.uint8, 'uint8_3d.nii', extremes=[0, 255, 1, 254])
plain(np.int8, 'int8_3d.nii.gz', extremes=[-128, 127, -1, 0])
plain(np.int16, 'int16_3d.nii.gz', extremes=[-32768, 32767, -1, 0])
plain(np.uint16, 'uint16_3d.nii', extremes=[0, 65535, 32768, 1])
plain(np.int32, 'int32_3d.nii', extremes=[-2147483648, 2147483647, -1, 16777217])
plain(np.float32, 'float32_3d.nii.gz', extremes=[-3.4e38, 3.4e38, 1e-30, -0.0])
plain(np.float64, 'float64_3d.nii', extremes=[1.0 / 3.0, -1e300, 1e-300, 16777217.0])
# 2-D and 4-D
plain(np.uint8, 'uint8_2d.nii', shape=(6, 5), zooms=(0.8, 1.25))
plain(np.float32, 'float32_4d.nii.gz', shape=(4, 3, 2, 3), zooms=(1.5, 1.5, 3.0, 2.5))

# scaled int16: nibabel keeps these slope/inter on disk and returns raw * slope + inter
raw = rng.randint(-1000, 1000, size=SHAPE3).astype(np.int16)
img = nib.Nifti1Image(raw, np.diag([1.0, 1.0, 1.0, 1.0]))
img.header.set_data_dtype(np.int16)
img.header.set_slope_inter(0.5, -10.0)
fixtures.append(save(img, 'int16_scaled.nii.gz'))
# scaled int32 (nibabel and SSS return float64 for this)
raw = with_extremes(rng.randint(-100000, 100000, size=SHAPE3).astype(np.int32), np.array([2147483647, -2147483648], np.int32))
img = nib.Nifti1Image(raw, np.eye(4))
img.header.set_data_dtype(np.int32)
img.header.set_slope_inter(0.25, 3.0)
fixtures.append(save(img, 'int32_scaled.nii'))

# big-endian NIfTI-1 (scaled int16) and big-endian NIfTI-2 (float32)
raw = rng.randint(-3000, 3000, size=SHAPE3).astype('>i2')
img = nib.Nifti1Image(raw, np.diag([2.0, 2.0, 2.5, 1.0]), header=nib.Nifti1Header(endianness='>'))
img.header.set_data_dtype('>i2')
img.header.set_slope_inter(2.0, 1.0)
fixtures.append(save(img, 'bigendian_int16_scaled.nii'))
plain(np.dtype('>f4'), 'nifti2_bigendian_float32.nii', header=nib.Nifti2Header(endianness='>'), cls=nib.Nifti2Image)
# NIfTI-2, little-endian, 4-D int16, gz
plain(np.int16, 'nifti2_int16_4d.nii.gz', shape=(3, 4, 2, 2), zooms=(1.0, 1.1, 1.2, 0.5), cls=nib.Nifti2Image)

# oblique geometry: different qform and sform, every bookkeeping field set
data = (rng.standard_normal(size=SHAPE3) * 10).astype(np.float32)
qaff = oblique_affine((10, -20, 30), (0.9, 1.1, 2.5), (-12.5, 30.25, 7.0), flip_x=True)
saff = oblique_affine((5, 15, -25), (0.9, 1.1, 2.5), (-10.0, 28.0, 9.5))
img = nib.Nifti1Image(data, saff)
img.set_qform(qaff, code=1)
img.set_sform(saff, code=4)
h = img.header
h.set_xyzt_units('mm', 'sec')
h.set_dim_info(freq=0, phase=1, slice=2)
h.set_intent('t test', (12.0,), name='group diff')
h['descrip'] = b'SSS oblique fixture'
h['aux_file'] = b'aux.txt'
h['cal_min'] = -5.0
h['cal_max'] = 25.0
h['slice_code'] = 1
h['slice_start'] = 0
h['slice_end'] = 2
h['slice_duration'] = 0.125
h['toffset'] = 1.5
fixtures.append(save(img, 'oblique_float32.nii.gz'))

# a header extension moves vox_offset past 352
data = rng.randint(-500, 500, size=SHAPE3).astype(np.int16)
img = nib.Nifti1Image(data, np.eye(4))
img.header.set_data_dtype(np.int16)
img.header.extensions.append(nib.nifti1.Nifti1Extension('comment', b'SSS test extension, 48 bytes long incl header'))
fixtures.append(save(img, 'extension_int16.nii'))

# files SSS must refuse with a clear message
raw = rng.randint(-5, 5, size=(2, 2, 2)).astype(np.int64)
img = nib.Nifti1Image(raw, np.eye(4), dtype=np.int64)
save(img, 'unsupported_int64.nii')
nib.Nifti1Pair(np.zeros((2, 2, 2), np.uint8), np.eye(4)).to_filename(path('pair.hdr'))

# what nibabel writes for a bare array with voxel spacing: NiftiWriter must produce the same bytes
spacing_data = np.arange(5 * 4 * 3, dtype=np.float32).reshape(SHAPE3, order='F') * 0.5 - 7
save(nib.Nifti1Image(spacing_data, np.diag([0.5, 0.75, 2.0, 1.0])), 'nibabel_plain_float32.nii')
label_data = np.arange(5 * 4 * 3, dtype=np.uint8).reshape(SHAPE3, order='F')
save(nib.Nifti2Image(label_data, np.diag([0.5, 0.75, 2.0, 1.0]), dtype=np.uint8), 'nibabel_plain_uint8_v2.nii')


def fmt(values):
    return ' '.join(repr(float(v)) for v in np.asarray(values, dtype=np.float64).reshape(-1))


lines = ['# written by make_fixtures.py with nibabel %s, numpy %s; values as nibabel reports them' % (nib.__version__, np.__version__)]
for name in fixtures:
    img = nib.load(path(name))
    with open(path(name), 'rb') as f:
        gz = f.read(2) == b'\x1f\x8b'
    with (gzip.open if gz else open)(path(name), 'rb') as f:
        # the header as stored: nibabel's img.header resets scl_slope, scl_inter and vox_offset on load
        h = type(img.header).from_fileobj(f)
    values = np.asarray(img.dataobj)  # scaled when slope/inter are set, otherwise the native dtype
    fdata = img.get_fdata(dtype=np.float64)
    slope, inter = h.get_slope_inter()
    key = name
    big = h.endianness == '>'
    idx = [tuple(int(rng.randint(0, s)) for s in img.shape) for _ in range(4)] + [tuple(s - 1 for s in img.shape)]
    props = {
        'version': 2 if isinstance(img, nib.Nifti2Image) else 1,
        'datatype': h.get_data_dtype().newbyteorder('=').name,
        'datatypeCode': int(h['datatype']),
        'bigEndian': str(big).lower(),
        'shape': ' '.join(str(s) for s in img.shape),
        'spacing': fmt(h.get_zooms()),
        'valueType': values.dtype.name,
        'scaled': str(slope is not None and (slope != 1 or inter != 0)).lower(),
        'sclSlope': fmt([h['scl_slope']]),
        'sclInter': fmt([h['scl_inter']]),
        'voxOffset': int(h['vox_offset']),
        'sum': repr(math.fsum(fdata.reshape(-1))),  # exact: numpy's pairwise sum loses values next to 3.4e38
        'min': repr(float(fdata.min())),
        'max': repr(float(fdata.max())),
        'voxels': '; '.join(','.join(str(i) for i in ix) + '=' + repr(float(fdata[ix])) for ix in idx),
        'qformCode': int(h['qform_code']),
        'sformCode': int(h['sform_code']),
        'quatern': fmt([h['quatern_b'], h['quatern_c'], h['quatern_d']]),
        'qoffset': fmt([h['qoffset_x'], h['qoffset_y'], h['qoffset_z']]),
        'qfac': fmt([h['pixdim'][0]]),
        'srow': fmt([h['srow_x'], h['srow_y'], h['srow_z']]),
        'qformMatrix': fmt(h.get_qform()),
        'sformMatrix': fmt(h.get_sform()),
        'xyztUnits': int(h['xyzt_units']),
        'intentCode': int(h['intent_code']),
        'intentP': fmt([h['intent_p1'], h['intent_p2'], h['intent_p3']]),
        'intentName': h['intent_name'].item().decode('latin-1'),
        'descrip': h['descrip'].item().decode('latin-1'),
        'auxFile': h['aux_file'].item().decode('latin-1'),
        'calMin': fmt([h['cal_min']]),
        'calMax': fmt([h['cal_max']]),
        'dimInfo': int(h['dim_info']),
        'sliceCode': int(h['slice_code']),
        'sliceStart': int(h['slice_start']),
        'sliceEnd': int(h['slice_end']),
        'sliceDuration': fmt([h['slice_duration']]),
        'toffset': fmt([h['toffset']]),
    }
    for k, v in props.items():
        lines.append('%s.%s=%s' % (key, k, v))
with open(path('expected.properties'), 'w') as f:
    f.write('\n'.join(lines) + '\n')
print('wrote', len(fixtures), 'fixtures')
