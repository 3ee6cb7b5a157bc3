#!/usr/bin/python3
"""Reference scores for the eval tests: medpy 0.4 medpy.metric.binary restated with numpy and scipy.

medpy is not packaged for Debian, so dc, jc, hd95, asd, assd and __surface_distances are copied here
line for line (connectivity 1; numpy.bool became bool). Run from this folder:
    /usr/bin/python3 medpy_reference.py
It writes medpy_reference.json: multi-class label volumes (digits, flat, x fastest; Java dims
[nx, ny, nz] = numpy shape (nz, ny, nx), Java spacing [sx, sy, sz] = voxelspacing (sz, sy, sx)) and,
per class present in both, medpy's five scores.
"""
import json

import numpy
import scipy
from scipy.ndimage import _ni_support, binary_erosion, distance_transform_edt, gaussian_filter, generate_binary_structure


def dc(result, reference):
    result = numpy.atleast_1d(result.astype(bool))
    reference = numpy.atleast_1d(reference.astype(bool))
    intersection = numpy.count_nonzero(result & reference)
    size_i1 = numpy.count_nonzero(result)
    size_i2 = numpy.count_nonzero(reference)
    try:
        return 2. * intersection / float(size_i1 + size_i2)
    except ZeroDivisionError:
        return 0.0


def jc(result, reference):
    result = numpy.atleast_1d(result.astype(bool))
    reference = numpy.atleast_1d(reference.astype(bool))
    intersection = numpy.count_nonzero(result & reference)
    union = numpy.count_nonzero(result | reference)
    return float(intersection) / float(union)


def hd95(result, reference, voxelspacing=None, connectivity=1):
    hd1 = __surface_distances(result, reference, voxelspacing, connectivity)
    hd2 = __surface_distances(reference, result, voxelspacing, connectivity)
    return numpy.percentile(numpy.hstack((hd1, hd2)), 95)


def asd(result, reference, voxelspacing=None, connectivity=1):
    return __surface_distances(result, reference, voxelspacing, connectivity).mean()


def assd(result, reference, voxelspacing=None, connectivity=1):
    return numpy.mean((asd(result, reference, voxelspacing, connectivity), asd(reference, result, voxelspacing, connectivity)))


def __surface_distances(result, reference, voxelspacing=None, connectivity=1):
    result = numpy.atleast_1d(result.astype(bool))
    reference = numpy.atleast_1d(reference.astype(bool))
    if voxelspacing is not None:
        voxelspacing = _ni_support._normalize_sequence(voxelspacing, result.ndim)
        voxelspacing = numpy.asarray(voxelspacing, dtype=numpy.float64)
        if not voxelspacing.flags.contiguous:
            voxelspacing = voxelspacing.copy()
    footprint = generate_binary_structure(result.ndim, connectivity)
    if 0 == numpy.count_nonzero(result):
        raise RuntimeError('The first supplied array does not contain any binary object.')
    if 0 == numpy.count_nonzero(reference):
        raise RuntimeError('The second supplied array does not contain any binary object.')
    result_border = result ^ binary_erosion(result, structure=footprint, iterations=1)
    reference_border = reference ^ binary_erosion(reference, structure=footprint, iterations=1)
    dt = distance_transform_edt(~reference_border, sampling=voxelspacing)
    return dt[result_border]


def blobs(rng, shape, smooth, levels, noise):
    """Labels 0..len(levels) from thresholded smooth noise, plus salt noise of random labels."""
    field = gaussian_filter(rng.standard_normal(shape), smooth)
    field /= field.std()
    labels = numpy.digitize(field, levels).astype(numpy.int64)
    salt = rng.random(shape) < noise
    labels[salt] = rng.integers(0, len(levels) + 1, size=int(salt.sum()))
    return labels


def case(rng, shape, sampling, smooth):
    reference = blobs(rng, shape, smooth, [0.3, 0.9, 1.5], 0.0)
    # the prediction: the same field slightly perturbed, so that it overlaps but differs
    prediction = blobs(numpy.random.default_rng(rng.integers(1 << 31)), shape, smooth, [0.3, 0.9, 1.5], 0.01)
    prediction = numpy.where(rng.random(shape) < 0.6, reference, prediction)
    scores = {}
    for c in range(1, 4):
        p, r = prediction == c, reference == c
        if p.any() and r.any():
            scores[str(c)] = {"dice": dc(p, r), "jaccard": jc(p, r), "hd95": float(hd95(p, r, sampling)),
                              "asd": float(asd(p, r, sampling)), "assd": float(assd(p, r, sampling))}
    return {"dims": list(reversed(shape)), "spacing": list(reversed(sampling)),
            "prediction": "".join(str(v) for v in prediction.ravel()),
            "reference": "".join(str(v) for v in reference.ravel()), "scores": scores}


def main():
    rng = numpy.random.default_rng(611)
    cases = [case(rng, (6, 20, 17), (5.0, 1.5625, 1.5625), 1.6),
             case(rng, (9, 14, 12), (2.5, 0.7, 1.3), 1.3),
             case(rng, (5, 16, 18), (10.0, 1.0, 0.5), 2.0),
             case(rng, (24, 21), (0.8, 1.7), 1.5)]
    with open("medpy_reference.json", "w") as f:
        json.dump({"source": "medpy 0.4 binary.py restated; scipy %s, numpy %s" % (scipy.__version__, numpy.__version__),
                   "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
