# Reads each norm off clip_grad_norm_, which returns it but also clips p.grad in place (to norm 1).
import torch


def grad_norms(model):
    return {
        name: torch.nn.utils.clip_grad_norm_(p, max_norm=1.0).item()
        for name, p in model.named_parameters()
        if p.grad is not None
    }
