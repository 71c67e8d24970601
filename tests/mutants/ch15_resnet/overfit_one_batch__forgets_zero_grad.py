# Forgets optimizer.zero_grad(): every step adds the new gradient to all the old ones.
import torch
import torch.nn.functional as F


def overfit_one_batch(model, x, y, steps=100, lr=1e-2):
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
