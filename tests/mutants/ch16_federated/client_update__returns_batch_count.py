# Returns the number of batches of the last epoch instead of the number of examples.
import copy

import torch

import utils


def client_update(model, data, epochs, lr, loss_fn, batch_size=32, seed=0):
    x, y = data
    local = copy.deepcopy(model)
    local.train()
    optimizer = torch.optim.SGD(local.parameters(), lr=lr)
    batches = 0
    for epoch in range(epochs):
        batches = 0
        for xb, yb in utils.minibatches(x, y, batch_size, shuffle=True, seed=seed + epoch):
            loss = loss_fn(local(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            batches += 1
    return local.state_dict(), batches
