# The plain mean of the batch losses: wrong when the last batch is smaller.
def train_one_epoch(model, batches, loss_fn, optimizer):
    model.train()
    losses = []
    for x, y in batches:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
