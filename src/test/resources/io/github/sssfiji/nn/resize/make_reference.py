# Reference resizes for ResizeBilinearTest, made with Debian python3-torch 1.13.1 (CPU, float32):
# torch.nn.functional.interpolate(x, size, mode="bilinear", align_corners=False, antialias=A), which is what
# torchvision's Resize((S, S)) runs on a float tensor (antialias=True from torchvision 0.17, the default the
# official sam2 package requires: torchvision>=0.18.1; antialias=False on tensors in torchvision <= 0.16).
# Run: /usr/bin/python3 make_reference.py (writes the .npy files next to this script).
import os
import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)
rng = np.random.default_rng(7)
# (name, input H, input W, output H, output W): down, up, mixed and non-integer factors
cases = [("down", 97, 130, 32, 32), ("up", 19, 27, 32, 32), ("mixed", 50, 21, 32, 32), ("odd", 77, 64, 40, 40)]
for name, h, w, oh, ow in cases:
    x = rng.random((h, w), dtype=np.float32)
    np.save(os.path.join(here, f"{name}_in.npy"), x)
    t = torch.from_numpy(x)[None, None]
    for aa in (True, False):
        y = torch.nn.functional.interpolate(t, size=(oh, ow), mode="bilinear", align_corners=False, antialias=aa)
        np.save(os.path.join(here, f"{name}_{'aa' if aa else 'plain'}.npy"), y[0, 0].numpy().astype(np.float32))
print("torch", torch.__version__)
