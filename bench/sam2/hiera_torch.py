"""SAM 2 (v1) image encoder, Hiera trunk + FPN neck, in plain PyTorch for the benchmark's same-run ratio.

Written for this benchmark from the architecture facts (hieradet.py / image_encoder.py / position_encoding.py
of facebookresearch/sam2 as described in sss-research-notes section 7); no SAM 2 code is imported. Random
weights: the timing does not depend on the values. Attention is the math formula softmax(q k^T / sqrt(d)) v,
as in the parity fixture's shim for torch 1.13.

Usage: /usr/bin/python3 hiera_torch.py CONFIG SIZE THREADS RUNS WARMUP   (CONFIG: tiny, small or micro)
Prints one CSV line: config,size,threads,median_ms,min_ms,params,vmhwm_mb
"""
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    # embed, heads, stages, global blocks, windows, bkg pos size, neck d_model
    "tiny": (96, 1, [1, 2, 7, 2], [5, 7, 9], [8, 4, 14, 7], 7, 256, 1024),
    "small": (96, 1, [1, 2, 11, 2], [7, 10, 13], [8, 4, 14, 7], 7, 256, 1024),
    "micro": (8, 1, [1, 2, 7, 2], [5, 7, 9], [8, 4, 14, 7], 7, 48, 256),
}


def window_partition(x, w):
    b, h, wd, c = x.shape
    ph, pw = (w - h % w) % w, (w - wd % w) % w
    if ph or pw:
        x = F.pad(x, (0, 0, 0, pw, 0, ph))
    hp, wp = h + ph, wd + pw
    x = x.view(b, hp // w, w, wp // w, w, c).permute(0, 1, 3, 2, 4, 5).reshape(-1, w, w, c)
    return x, (hp, wp)


def window_unpartition(x, w, pad_hw, hw):
    hp, wp = pad_hw
    h, wd = hw
    b = x.shape[0] // (hp * wp // w // w)
    x = x.view(b, hp // w, wp // w, w, w, -1).permute(0, 1, 3, 2, 4, 5).reshape(b, hp, wp, -1)
    return x[:, :h, :wd, :].contiguous()


def pool(x, pool_layer):
    # x: B,H,W,C
    return pool_layer(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)


class Attention(nn.Module):
    def __init__(self, dim, dim_out, heads, q_pool):
        super().__init__()
        self.heads, self.q_pool = heads, q_pool
        self.qkv = nn.Linear(dim, dim_out * 3)
        self.proj = nn.Linear(dim_out, dim_out)

    def forward(self, x):
        b, h, w, _ = x.shape
        qkv = self.qkv(x).reshape(b, h * w, 3, self.heads, -1)
        q, k, v = torch.unbind(qkv, 2)
        if self.q_pool is not None:
            q = pool(q.reshape(b, h, w, -1), self.q_pool)
            h, w = q.shape[1:3]
            q = q.reshape(b, h * w, self.heads, -1)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        a = torch.softmax((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1])), dim=-1)
        x = (a @ v).transpose(1, 2).reshape(b, h, w, -1)
        return self.proj(x)


class Block(nn.Module):
    def __init__(self, dim, dim_out, heads, q_stride, window):
        super().__init__()
        self.dim, self.dim_out, self.window = dim, dim_out, window
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.pool = nn.MaxPool2d(kernel_size=q_stride, stride=q_stride, ceil_mode=False) if q_stride else None
        self.attn = Attention(dim, dim_out, heads, self.pool)
        self.norm2 = nn.LayerNorm(dim_out, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim_out, 4 * dim_out), nn.GELU(), nn.Linear(4 * dim_out, dim_out))
        self.proj = nn.Linear(dim, dim_out) if dim != dim_out else None

    def forward(self, x):
        shortcut = x
        x = self.norm1(x)
        if self.proj is not None:
            shortcut = self.proj(x)
            if self.pool is not None:
                shortcut = pool(shortcut, self.pool)
        window = self.window
        if window > 0:
            h, w = x.shape[1], x.shape[2]
            x, pad_hw = window_partition(x, window)
        x = self.attn(x)
        if self.pool is not None:
            window = self.window // 2
            h, w = shortcut.shape[1:3]
            pad_hw = (h + (window - h % window) % window, w + (window - w % window) % window)
        if self.window > 0:
            x = window_unpartition(x, window, pad_hw, (h, w))
        x = shortcut + x
        return x + self.mlp(self.norm2(x))


class Hiera(nn.Module):
    def __init__(self, embed, heads, stages, global_blocks, windows, bkg):
        super().__init__()
        self.patch = nn.Conv2d(3, embed, 7, 4, 3)
        self.pos_embed = nn.Parameter(torch.randn(1, embed, bkg, bkg) * 0.02)
        self.pos_embed_window = nn.Parameter(torch.randn(1, embed, windows[0], windows[0]) * 0.02)
        ends = [sum(stages[:i + 1]) - 1 for i in range(len(stages))]
        q_pool_blocks = [e + 1 for e in ends[:-1]][:3]
        self.stage_ends = ends
        blocks, dim, h, stage = [], embed, heads, 1
        for i in range(sum(stages)):
            dim_out = dim
            window = windows[stage - 1]
            if i - 1 in ends:
                dim_out, h, stage = dim * 2, h * 2, stage + 1
            window = 0 if i in global_blocks else window  # the block that pools keeps the previous stage's window
            blocks.append(Block(dim, dim_out, h, (2, 2) if i in q_pool_blocks else None, window))
            dim = dim_out
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x):
        x = self.patch(x).permute(0, 2, 3, 1)
        h, w = x.shape[1:3]
        pos = F.interpolate(self.pos_embed, size=(h, w), mode="bicubic")
        tile = [a // b for a, b in zip(pos.shape, self.pos_embed_window.shape)]
        x = x + (pos + self.pos_embed_window.tile(tile)).permute(0, 2, 3, 1)
        outs = []
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i in self.stage_ends:
                outs.append(x.permute(0, 3, 1, 2))
        return outs


def sine_pe(x, num_feats):
    b, _, h, w = x.shape
    f = num_feats // 2
    y_embed = torch.arange(1, h + 1, dtype=torch.float32).view(1, -1, 1).repeat(b, 1, w)
    x_embed = torch.arange(1, w + 1, dtype=torch.float32).view(1, 1, -1).repeat(b, h, 1)
    eps, scale = 1e-6, 2 * math.pi
    y_embed = y_embed / (y_embed[:, -1:, :] + eps) * scale
    x_embed = x_embed / (x_embed[:, :, -1:] + eps) * scale
    dim_t = torch.arange(f, dtype=torch.float32)
    dim_t = 10000 ** (2 * (dim_t // 2) / f)
    px, py = x_embed[:, :, :, None] / dim_t, y_embed[:, :, :, None] / dim_t
    px = torch.stack((px[:, :, :, 0::2].sin(), px[:, :, :, 1::2].cos()), dim=4).flatten(3)
    py = torch.stack((py[:, :, :, 0::2].sin(), py[:, :, :, 1::2].cos()), dim=4).flatten(3)
    return torch.cat((py, px), dim=3).permute(0, 3, 1, 2)


class Encoder(nn.Module):
    def __init__(self, embed, heads, stages, global_blocks, windows, bkg, d_model):
        super().__init__()
        self.trunk = Hiera(embed, heads, stages, global_blocks, windows, bkg)
        channels = [embed * 2 ** i for i in range(len(stages))][::-1]
        self.convs = nn.ModuleList([nn.Conv2d(c, d_model, 1) for c in channels])
        self.d_model = d_model

    def forward(self, x):
        xs = self.trunk(x)
        n = len(self.convs) - 1
        out, pos, prev = [None] * (n + 1), [None] * (n + 1), None
        for i in range(n, -1, -1):
            lateral = self.convs[n - i](xs[i])
            if i in (2, 3) and prev is not None:  # fpn_top_down_levels [2, 3], nearest
                prev = lateral + F.interpolate(prev.to(torch.float32), scale_factor=2.0, mode="nearest")
            else:
                prev = lateral
            out[i] = prev
            pos[i] = sine_pe(prev, self.d_model)
        return out[:-1], pos[:-1]  # scalp 1


def vmhwm_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return -1


def main():
    config, size, threads, runs, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    embed, heads, stages, glob, windows, bkg, d_model, _ = CONFIGS[config]
    model = Encoder(embed, heads, stages, glob, windows, bkg, d_model).eval()
    params = sum(p.numel() for p in model.parameters())
    x = torch.randn(1, 3, size, size)
    times = []
    with torch.no_grad():
        for i in range(warmup + runs):
            t = time.perf_counter()
            model(x)
            if i >= warmup:
                times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"{config},{size},{threads},{times[len(times) // 2]:.1f},{times[0]:.1f},{params},{vmhwm_mb():.0f}")


if __name__ == "__main__":
    main()
