# The other convention: 1 - eps on the target, eps / (K - 1) on each other class (not PyTorch's).
import torch


def smoothed_cross_entropy(logits, targets, eps=0.1):
    k = logits.shape[1]
    log_p = torch.log_softmax(logits, dim=1)
    q = torch.full_like(log_p, eps / (k - 1))
    q[torch.arange(len(targets)), targets] = 1 - eps
    return -(q * log_p).sum(dim=1).mean()
