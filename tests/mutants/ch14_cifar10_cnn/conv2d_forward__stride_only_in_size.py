# Computes the strided output size but slides the window one pixel at a time.
import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    n, c, h, width = x.shape
    f, _, kh, kw = w.shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (width + 2 * padding - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n, f, h_out, w_out))
    for u in range(kh):
        for v in range(kw):
            out += np.einsum("nchw,fc->nfhw", xp[:, :, u : u + h_out, v : v + w_out], w[:, :, u, v])
    return out + b.reshape(1, f, 1, 1)
