#!/usr/bin/python3
"""Reference outputs of scipy.ndimage for the morph tests.

Run with Debian's python3-scipy / python3-numpy from this folder:
    /usr/bin/python3 make_fixtures.py
It writes edt_reference.json and label_reference.json. Arrays are flat with x fastest, so a volume of
Java dims [nx, ny, nz] is the numpy array of shape (nz, ny, nx) in C order; Java spacing [sx, sy, sz]
is scipy sampling (sz, sy, sx).
"""
import json

import numpy as np
import scipy
from scipy import ndimage


def flat(a):
    return a.ravel(order="C")


def mask_string(mask):
    return "".join("1" if v else "0" for v in flat(mask))


def random_mask(rng, shape, smooth, level):
    """Blobs: smoothed noise above a level, with some isolated voxels flipped."""
    field = ndimage.gaussian_filter(rng.standard_normal(shape), smooth)
    mask = field > level * field.std()
    flip = rng.random(shape) < 0.03
    return mask ^ flip


def edt_cases(rng):
    cases = []
    specs = [
        ((17, 23), (0.7, 1.3), 1.5, 0.3),      # 2-D, numpy shape (ny, nx)
        ((7, 10, 12), (5.0, 1.25, 0.8), 1.2, 0.8),  # 3-D, thick slices
        ((6, 13, 9), (2.5, 0.6, 1.1), 1.0, 1.6),   # 3-D, few targets
    ]
    for shape, sampling, smooth, level in specs:
        targets = random_mask(rng, shape, smooth, level)
        distance = ndimage.distance_transform_edt(~targets, sampling=sampling)
        cases.append({
            "dims": list(reversed(shape)),
            "spacing": list(reversed(sampling)),
            "targets": mask_string(targets),
            "distance": [float("%.17g" % d) for d in flat(distance)],
            # face-connected erosion, outside counts as background (scipy's default border_value=0)
            "eroded": mask_string(ndimage.binary_erosion(
                targets, structure=ndimage.generate_binary_structure(len(shape), 1))),
        })
    return cases


def label_cases(rng):
    cases = []
    for shape, smooth, level in [((19, 26), 0.9, 0.5), ((8, 11, 13), 0.8, 0.6)]:
        mask = random_mask(rng, shape, smooth, level)
        entry = {"dims": list(reversed(shape)), "mask": mask_string(mask)}
        for name, connectivity in [("face", 1), ("full", len(shape))]:
            structure = ndimage.generate_binary_structure(len(shape), connectivity)
            labels, count = ndimage.label(mask, structure=structure)
            entry[name] = {"count": int(count), "labels": [int(v) for v in flat(labels)]}
        cases.append(entry)
    return cases


def main():
    rng = np.random.default_rng(20260314)
    source = "scipy %s, numpy %s" % (scipy.__version__, np.__version__)
    with open("edt_reference.json", "w") as f:
        json.dump({"source": source, "cases": edt_cases(rng)}, f, separators=(",", ":"))
    with open("label_reference.json", "w") as f:
        json.dump({"source": source, "cases": label_cases(rng)}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
