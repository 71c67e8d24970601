# Trains the model it was given instead of a copy: the server's model changes.
import copy

import torch

import utils


def client_update(model, data, epochs, lr, loss_fn, batch_size=32, seed=0):
    x, y = data
    local = model
    local.train()
    optimizer = torch.optim.SGD(local.parameters(), lr=lr)
    for epoch in range(epochs):
        for xb, yb in utils.minibatches(x, y, batch_size, shuffle=True, seed=seed + epoch):
            loss = loss_fn(local(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return local.state_dict(), len(y)
