# Right gradients, returned as torch tensors instead of NumPy arrays.
import numpy as np
import torch
import torch.nn.functional as F


def autograd_gradients(X, t, params):
    leaves = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    x = torch.as_tensor(np.asarray(X), dtype=torch.float64)
    h = torch.relu(x @ leaves["W1"] + leaves["b1"])
    F.cross_entropy(h @ leaves["W2"] + leaves["b2"], torch.as_tensor(np.asarray(t))).backward()
    return {k: v.grad for k, v in leaves.items()}
