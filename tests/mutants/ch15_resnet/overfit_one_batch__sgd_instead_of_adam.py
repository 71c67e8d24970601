# Plain SGD at the given learning rate instead of Adam: far too slow to memorize the batch.
import torch
import torch.nn.functional as F


def overfit_one_batch(model, x, y, steps=100, lr=1e-2):
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
