# Evaluates in training mode: dropout stays on.
import torch


def evaluate(model, batches):
    correct, count = 0, 0
    with torch.no_grad():
        for x, y in batches:
            correct += (model(x).argmax(dim=1) == y).sum().item()
            count += len(y)
    return correct / count
