# Never calls zero_grad: gradients accumulate over the epoch.
def train_one_epoch(model, batches, loss_fn, optimizer):
    model.train()
    total, count = 0.0, 0
    for x, y in batches:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
