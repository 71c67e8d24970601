# torch's default float32: right formula, only about 7 significant digits.
import numpy as np
import torch
import torch.nn.functional as F


def autograd_gradients(X, t, params):
    leaves = {k: torch.tensor(v, dtype=torch.float32, requires_grad=True) for k, v in params.items()}
    x = torch.as_tensor(np.asarray(X), dtype=torch.float32)
    h = torch.relu(x @ leaves["W1"] + leaves["b1"])
    F.cross_entropy(h @ leaves["W2"] + leaves["b2"], torch.as_tensor(np.asarray(t))).backward()
    return {k: v.grad.double().numpy() for k, v in leaves.items()}
