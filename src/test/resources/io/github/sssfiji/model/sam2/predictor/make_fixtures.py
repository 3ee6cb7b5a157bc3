#!/usr/bin/python3
"""Reference outputs of torch for the SAM 2 tracking helpers (antialiased bilinear resizing).

Run with Debian's python3-torch (1.13) from this folder:
    /usr/bin/python3 make_fixtures.py
It writes sine_pe_reference.json (SAM2Base's get_1d_sine_pe of pointer distances, as
_prepare_memory_conditioned_features uses it with add_tpos_enc_to_obj_ptrs) and antialias_reference.json: for each case the input (C order, float32 values written as
decimal strings that round-trip) and F.interpolate(x, size, mode="bilinear", align_corners=False,
antialias=True), as SAM2Base._use_mask_as_output and the video predictor's add_new_mask call it.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F


def case(name, x, size):
    t = torch.from_numpy(x)
    y = F.interpolate(t, size=size, mode="bilinear", align_corners=False, antialias=True)
    return {"name": name, "in_shape": list(x.shape), "out_size": list(size),
            "input": [repr(float(v)) for v in x.ravel()], "output": [repr(float(v)) for v in y.numpy().ravel()]}


rng = np.random.default_rng(7)
mask = (rng.random((1, 1, 32, 32)) < 0.4).astype(np.float32)
cases = [
    # the tracking case: a binary mask scaled to +-10, downsampled by 4
    case("mask_pm10_div4", mask * np.float32(20.0) + np.float32(-10.0), (8, 8)),
    # non-integer factors, both directions
    case("random_20x12_to_7x5", rng.standard_normal((1, 1, 20, 12)).astype(np.float32), (7, 5)),
    case("random_5x6_to_9x13", rng.standard_normal((1, 1, 5, 6)).astype(np.float32), (9, 13)),
]
with open("../../../nn/antialias_reference.json", "w") as f:  # read by nn.ResizeAntialiasTest
    json.dump({"torch": torch.__version__, "cases": cases}, f)


def get_1d_sine_pe(pos_inds, dim, temperature=10000):
    """Copied formula of sam2/modeling/sam2_utils.py (commit 2b90b9f)."""
    pe_dim = dim // 2
    dim_t = torch.arange(pe_dim, dtype=torch.float32, device=pos_inds.device)
    dim_t = temperature ** (2 * (dim_t // 2) / pe_dim)
    pos_embed = pos_inds.unsqueeze(-1) / dim_t
    pos_embed = torch.cat([pos_embed.sin(), pos_embed.cos()], dim=-1)
    return pos_embed


sine = []
for positions, t_diff_max, dim in (([0, 1, 2, 5, 15], 15, 12), ([3, 1, 2], 2, 64)):
    pe = get_1d_sine_pe(torch.tensor(positions) / t_diff_max, dim=dim)
    sine.append({"positions": positions, "t_diff_max": t_diff_max, "dim": dim,
                 "output": [repr(float(v)) for v in pe.numpy().ravel()]})
with open("sine_pe_reference.json", "w") as f:
    json.dump({"torch": torch.__version__, "cases": sine}, f)
