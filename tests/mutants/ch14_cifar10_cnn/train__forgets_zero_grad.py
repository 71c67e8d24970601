# Never zeroes the gradients: each step adds up every gradient so far.
import math

import torch
import torch.nn as nn


def train(model, x, y, epochs, batch_size=256, lr=0.2, weight_decay=5e-4, label_smoothing=0.1, augment=None, seed=0):
    """Train model on x (N, 3, H, W), y (N,) with SGD + Nesterov momentum and a one-cycle schedule.

    Returns {"loss": mean training loss per example for each epoch, "lr": learning rate of each step}.
    augment(x_batch, generator=g) (optional) transforms each batch; g = torch.Generator seeded with seed
    also draws the shuffling.
    """
    g = torch.Generator().manual_seed(seed)
    n = len(x)
    steps_per_epoch = math.ceil(n / batch_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True, weight_decay=weight_decay)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=lr, total_steps=epochs * steps_per_epoch, pct_start=0.25
    )
    loss_fn = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    history = {"loss": [], "lr": []}
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(n, generator=g)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            xb, yb = x[idx], y[idx]
            if augment is not None:
                xb = augment(xb, generator=g)
            loss = loss_fn(model(xb.contiguous(memory_format=torch.channels_last)), yb)
            loss.backward()
            history["lr"].append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()  # one-cycle: once per step, not per epoch
            total += loss.item() * len(yb)
        history["loss"].append(total / n)
    return history
