# Divides each pixel by the number of windows covering it: an average, not the sum the chain rule needs.
import numpy as np


def col2im(cols, x_shape, kh, kw, stride=1, padding=0):
    n, c, h, w = x_shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    cols = np.asarray(cols, dtype=np.float64).reshape(n, h_out, w_out, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    xp = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    count = np.zeros_like(xp)
    for u in range(kh):
        for v in range(kw):
            xp[:, :, u : u + stride * h_out : stride, v : v + stride * w_out : stride] += cols[:, :, u, v]
            count[:, :, u : u + stride * h_out : stride, v : v + stride * w_out : stride] += 1
    return (xp / np.maximum(count, 1))[:, :, padding : padding + h, padding : padding + w]
