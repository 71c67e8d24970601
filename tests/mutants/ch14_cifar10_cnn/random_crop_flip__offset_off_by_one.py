# randint's upper bound is exclusive: offsets 0 .. 2p - 1, so the image never moves by +p.
import torch
import torch.nn.functional as F


def random_crop_flip(x, padding=4, generator=None):
    n, c, h, w = x.shape
    padded = F.pad(x, (padding, padding, padding, padding))
    out = torch.empty_like(x)
    dy = torch.randint(0, 2 * padding, (n,), generator=generator)
    dx = torch.randint(0, 2 * padding, (n,), generator=generator)
    flip = torch.rand(n, generator=generator) < 0.5
    for i in range(n):
        crop = padded[i, :, dy[i] : dy[i] + h, dx[i] : dx[i] + w]
        out[i] = crop.flip(-1) if flip[i] else crop
    return out
