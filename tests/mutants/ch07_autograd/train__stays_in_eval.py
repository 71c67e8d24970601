# Evaluates in eval mode but never switches back: a model with dropout would train without it.
import torch
from tqdm import tqdm


def train(model, loader, epochs, loss_fn, optimizer, val_data=None, progress=True):
    history = {"train_loss": []}
    if val_data is not None:
        history["val_acc"] = []
    for _ in tqdm(range(epochs), disable=not progress):
        total, count = 0.0, 0
        for x, y in loader:
            total += train_step(model, x, y, loss_fn, optimizer) * len(y)
            count += len(y)
        history["train_loss"].append(total / count)
        if val_data is not None:
            model.eval()
            with torch.no_grad():
                history["val_acc"].append((model(val_data[0]).argmax(dim=1) == val_data[1]).float().mean().item())
    return history
