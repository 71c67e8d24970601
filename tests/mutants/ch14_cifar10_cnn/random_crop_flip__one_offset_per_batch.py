# Draws one offset for the whole batch instead of one per image.
import torch
import torch.nn.functional as F


def random_crop_flip(x, padding=4, generator=None):
    n, c, h, w = x.shape
    padded = F.pad(x, (padding, padding, padding, padding))
    dy, dx = torch.randint(0, 2 * padding + 1, (2,), generator=generator).tolist()
    crops = padded[:, :, dy : dy + h, dx : dx + w]
    flip = torch.rand(n, generator=generator) < 0.5
    return torch.where(flip[:, None, None, None], crops.flip(3), crops)
