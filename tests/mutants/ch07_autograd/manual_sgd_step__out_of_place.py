# p = p - lr * p.grad rebinds the loop variable: the caller's tensors never change.
import torch


def manual_sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            p = p - lr * p.grad
            p.grad = None
