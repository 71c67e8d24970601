# No model.eval(): batch norm uses this batch's statistics and updates its running statistics.
import torch


def evaluate(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()
