# Flips the chosen images in the caller's tensor (x[flip] = ...), then crops: the input changes.
import torch
import torch.nn.functional as F


def random_crop_flip(x, padding=4, generator=None):
    n, c, h, w = x.shape
    flip = torch.rand(n, generator=generator) < 0.5
    x[flip] = x[flip].flip(3)
    padded = F.pad(x, (padding, padding, padding, padding))
    out = torch.empty_like(x)
    dy = torch.randint(0, 2 * padding + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * padding + 1, (n,), generator=generator)
    for i in range(n):
        out[i] = padded[i, :, dy[i] : dy[i] + h, dx[i] : dx[i] + w]
    return out
