# Never calls model.train(): a model left in eval mode trains with batch norm's running statistics.
def train_one_epoch(model, batches, loss_fn, optimizer):
    total, count = 0.0, 0
    for x, y in batches:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
