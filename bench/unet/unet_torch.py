#!/usr/bin/python3
"""Reference side of the DJL U-Net: UniMatch's medical U-Net, its losses, fixtures and a benchmark.

Written for this project from the architecture facts (UniMatch more-scenarios/medical/model/unet.py:
ConvBlock = conv3x3-BN-LeakyReLU-Dropout-conv3x3-BN-LeakyReLU, max-pool down-sampling, UpBlock =
conv1x1 + bilinear x2 (align_corners=True) + ConvBlock(cat(skip, up)), 3x3 output conv; DiceLoss of
SSL4MIS with smooth 1e-5 and squared sums). Module names follow UniMatch so that state_dict keys are
UniMatch's keys.

Sub-commands:
  parity OUT.npz [--channels 2,4,8,16,32]   weights (fp16-exact), input, eval/train logits, grads
  losses OUT.npz                            hand-made loss cases with values and gradients
  bench --batch 8 --size 256 --steps 20 --threads 2 [--classes 4]
Run with Debian's python3-torch (/usr/bin/python3).
"""
import argparse
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, p):
        super().__init__()
        self.conv_conv = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU(), nn.Dropout(p),
            nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU())

    def forward(self, x):
        return self.conv_conv(x)


class DownBlock(nn.Module):
    def __init__(self, cin, cout, p):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), ConvBlock(cin, cout, p))

    def forward(self, x):
        return self.maxpool_conv(x)


class UpBlock(nn.Module):
    def __init__(self, cdeep, cskip, cout):
        super().__init__()
        self.conv1x1 = nn.Conv2d(cdeep, cskip, 1)
        self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
        self.conv = ConvBlock(2 * cskip, cout, 0.0)

    def forward(self, deep, skip):
        return self.conv(torch.cat([skip, self.up(self.conv1x1(deep))], dim=1))


class Encoder(nn.Module):
    def __init__(self, cin, ch, drop):
        super().__init__()
        self.in_conv = ConvBlock(cin, ch[0], drop[0])
        self.down1 = DownBlock(ch[0], ch[1], drop[1])
        self.down2 = DownBlock(ch[1], ch[2], drop[2])
        self.down3 = DownBlock(ch[2], ch[3], drop[3])
        self.down4 = DownBlock(ch[3], ch[4], drop[4])

    def forward(self, x):
        x0 = self.in_conv(x)
        x1 = self.down1(x0)
        x2 = self.down2(x1)
        x3 = self.down3(x2)
        return [x0, x1, x2, x3, self.down4(x3)]


class Decoder(nn.Module):
    def __init__(self, ch, classes):
        super().__init__()
        self.up1 = UpBlock(ch[4], ch[3], ch[3])
        self.up2 = UpBlock(ch[3], ch[2], ch[2])
        self.up3 = UpBlock(ch[2], ch[1], ch[1])
        self.up4 = UpBlock(ch[1], ch[0], ch[0])
        self.out_conv = nn.Conv2d(ch[0], classes, 3, padding=1)

    def forward(self, f):
        x = self.up1(f[4], f[3])
        x = self.up2(x, f[2])
        x = self.up3(x, f[1])
        return self.out_conv(self.up4(x, f[0]))


class UNet(nn.Module):
    def __init__(self, cin=1, classes=4, ch=(16, 32, 64, 128, 256), drop=(0.05, 0.1, 0.2, 0.3, 0.5)):
        super().__init__()
        self.encoder = Encoder(cin, ch, drop)
        self.decoder = Decoder(ch, classes)

    def forward(self, x):
        return self.decoder(self.encoder(x))


def ce_loss(logits, target, weights=None):
    """sum(w * CE) over labelled pixels / number of labelled pixels (ignore label 255)."""
    ce = F.cross_entropy(logits, target, ignore_index=255, reduction='none')
    labelled = (target != 255).float()
    w = labelled if weights is None else weights * labelled
    return (ce * w).sum() / labelled.sum().clamp(min=1)


def dice_loss(logits, target, weights=None, include_background=True, smooth=1e-5):
    """UniMatch/SSL4MIS DiceLoss on softmax probabilities, written per class as they do."""
    prob = logits.softmax(dim=1)
    labelled = (target != 255).float()
    w = labelled if weights is None else weights * labelled
    classes = logits.shape[1]
    losses = []
    for c in range(classes):
        p = prob[:, c]
        t = (target == c).float()
        intersect = (p * t * w).sum()
        y_sum = (t * t * w).sum()
        z_sum = (p * p * w).sum()
        losses.append(1 - (2 * intersect + smooth) / (z_sum + y_sum + smooth))
    if not include_background:
        losses = losses[1:]
    return sum(losses) / len(losses)


def dice_loss_unimatch_ignore(logits, target, ignore, smooth=1e-5):
    """The literal SSL4MIS form with boolean indexing by ignore != 1, as a cross-check of dice_loss."""
    score = logits.softmax(dim=1)
    onehot = torch.cat([(target.unsqueeze(1) == c) for c in range(logits.shape[1])], dim=1).float()
    loss = 0.0
    for c in range(logits.shape[1]):
        s, t = score[:, c], onehot[:, c]
        keep = ignore != 1
        intersect = torch.sum(s[keep] * t[keep])
        y_sum = torch.sum(t[keep] * t[keep])
        z_sum = torch.sum(s[keep] * s[keep])
        loss = loss + 1 - (2 * intersect + smooth) / (z_sum + y_sum + smooth)
    return loss / logits.shape[1]


def parity(out, channels):
    torch.manual_seed(7)
    model = UNet(1, 4, channels, (0.0,) * 5)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith('num_batches_tracked'):
                continue
            if name.endswith('running_var'):
                t.copy_(torch.rand_like(t) + 0.5)
            elif name.endswith('running_mean') or (name.endswith('bias') and t.dim() == 1):
                t.copy_(torch.randn_like(t) * 0.1)
            elif name.endswith('weight') and t.dim() == 1:
                t.copy_(1 + torch.randn_like(t) * 0.1)
            # values exactly representable in fp16, so the fixture stores them in half the space
            t.copy_(t.half().float())
    x = (torch.randn(1, 1, 32, 32)).half().float()
    target = torch.randint(0, 4, (1, 32, 32))
    arrays = {'input': x.numpy().astype(np.float16), 'target': target.numpy().astype(np.uint8)}
    for name, t in model.state_dict().items():
        if not name.endswith('num_batches_tracked'):
            arrays['w.' + name] = t.numpy().astype(np.float16)
    model.eval()
    with torch.no_grad():
        arrays['eval_logits'] = model(x).numpy()
    model.train()
    logits = model(x)
    arrays['train_logits'] = logits.detach().numpy()
    loss = (ce_loss(logits, target) + dice_loss(logits, target)) / 2
    loss.backward()
    arrays['train_loss'] = np.array(loss.item(), dtype=np.float32)
    sd = dict(model.named_parameters())
    for name in ['decoder.out_conv.weight', 'decoder.up1.conv1x1.weight', 'encoder.in_conv.conv_conv.0.weight',
                 'encoder.down4.maxpool_conv.1.conv_conv.5.weight']:
        arrays['grad.' + name] = sd[name].grad.numpy()
    for name, t in model.state_dict().items():
        if name.endswith('running_mean') or name.endswith('running_var'):
            arrays['after_train.' + name] = t.numpy()
    np.savez(out, **arrays)
    print('wrote', out, 'params', sum(p.numel() for p in model.parameters()))


def losses(out):
    torch.manual_seed(3)
    b, k, h, w = 2, 4, 5, 6
    logits = torch.randn(b, k, h, w) * 2
    target = torch.randint(0, k, (b, h, w))
    target[0, 0, :3] = 255
    target[1, 4, 2] = 255
    mask = (torch.rand(b, h, w) > 0.4).float()
    soft = torch.rand(b, h, w)
    arrays = {'logits': logits.numpy(), 'target': target.numpy().astype(np.int64), 'mask': mask.numpy(),
              'soft': soft.numpy()}
    cases = {
        'ce': lambda z: ce_loss(z, target),
        'ce_soft': lambda z: ce_loss(z, target, soft),
        'dice': lambda z: dice_loss(z, target),
        'dice_mask': lambda z: dice_loss(z, target, mask),
        'dice_mask_nobg': lambda z: dice_loss(z, target, mask, include_background=False),
        'cedice_mask': lambda z: (ce_loss(z, target, mask) + dice_loss(z, target, mask)) / 2,
    }
    for name, fn in cases.items():
        z = logits.clone().requires_grad_(True)
        value = fn(z)
        value.backward()
        arrays['value.' + name] = np.array(value.item(), dtype=np.float32)
        arrays['grad.' + name] = z.grad.numpy()
    # cross-checks against the library and the literal UniMatch form
    plain = logits[:, :, 1:]
    t_plain = target[:, 1:].clone()
    t_plain[t_plain == 255] = 0
    assert abs(ce_loss(plain, t_plain).item() - F.cross_entropy(plain, t_plain).item()) < 1e-6
    ignore = ((mask == 0) | (target == 255)).float()
    literal = dice_loss_unimatch_ignore(logits, target, ignore).item()
    assert abs(literal - arrays['value.dice_mask']) < 1e-6, (literal, arrays['value.dice_mask'])
    np.savez(out, **arrays)
    print('wrote', out, {n: float(arrays['value.' + n]) for n in cases})


def rss_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS'):
                return int(line.split()[1]) / 1024
    return float('nan')


def bench(batch, size, steps, threads, classes, warmup):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    model = UNet(1, classes)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(batch, 1, size, size)
    y = torch.randint(0, classes, (batch, size, size))
    times = []
    rss_start = None
    for step in range(warmup + steps):
        if step == warmup:
            rss_start = rss_mb()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=False)
        logits = model(x)
        loss = (ce_loss(logits, y) + dice_loss(logits, y)) / 2
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    measured = sorted(times[warmup:])
    median = measured[len(measured) // 2]
    print('torch %s threads=%d batch=%dx1x%dx%d classes=%d steps=%d median_s=%.4f mean_s=%.4f min_s=%.4f '
          'rss_start_mb=%.0f rss_end_mb=%.0f peak_mb=%.0f loss=%.4f' % (
              torch.__version__, threads, batch, size, size, classes, steps, median,
              sum(measured) / len(measured), measured[0], rss_start, rss_mb(),
              resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, loss.item()))


def main(argv):
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('parity')
    p.add_argument('out')
    p.add_argument('--channels', default='2,4,8,16,32')
    p = sub.add_parser('losses')
    p.add_argument('out')
    p = sub.add_parser('bench')
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--size', type=int, default=256)
    p.add_argument('--steps', type=int, default=20)
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--classes', type=int, default=4)
    a = ap.parse_args(argv)
    if a.cmd == 'parity':
        torch.set_num_threads(1)
        parity(a.out, tuple(int(c) for c in a.channels.split(',')))
    elif a.cmd == 'losses':
        losses(a.out)
    else:
        bench(a.batch, a.size, a.steps, a.threads, a.classes, a.warmup)


if __name__ == '__main__':
    main(sys.argv[1:])
