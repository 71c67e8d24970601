# Averages the batch losses without weighting by batch size: a small last batch counts too much.
import torch
from tqdm import tqdm


def train(model, loader, epochs, loss_fn, optimizer, val_data=None, progress=True):
    history = {"train_loss": []}
    if val_data is not None:
        history["val_acc"] = []
    for _ in tqdm(range(epochs), disable=not progress):
        losses = [train_step(model, x, y, loss_fn, optimizer) for x, y in loader]
        history["train_loss"].append(sum(losses) / len(losses))
        if val_data is not None:
            model.eval()
            with torch.no_grad():
                history["val_acc"].append((model(val_data[0]).argmax(dim=1) == val_data[1]).float().mean().item())
            model.train()
    return history
