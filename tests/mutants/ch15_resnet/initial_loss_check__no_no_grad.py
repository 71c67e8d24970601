# Forgets torch.no_grad(): the forward pass builds a graph for nothing.
import math

import torch
import torch.nn.functional as F


def initial_loss_check(model, x, y, num_classes, tol=0.1):
    was_training = model.training
    model.eval()
    logits = model(x)
    model.train(was_training)
    if logits.shape[1] != num_classes:
        raise ValueError(f"logits have {logits.shape[1]} columns, expected num_classes = {num_classes}")
    loss = F.cross_entropy(logits, y).item()
    expected = math.log(num_classes)
    return loss, expected, bool(abs(loss - expected) <= tol * expected)
