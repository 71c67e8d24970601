# Slides the window by one pixel whatever the stride (sizes right, windows wrong for stride > 1).
import numpy as np


def im2col(x, kh, kw, stride=1, padding=0):
    x = np.asarray(x, dtype=np.float64)
    n, c, h, w = x.shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = np.empty((n, c, kh, kw, h_out, w_out))
    for u in range(kh):
        for v in range(kw):
            cols[:, :, u, v] = xp[:, :, u : u + h_out, v : v + w_out]
    return cols.transpose(0, 4, 5, 1, 2, 3).reshape(n * h_out * w_out, c * kh * kw)
