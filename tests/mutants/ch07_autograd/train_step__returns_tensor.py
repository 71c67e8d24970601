# Returns the loss tensor (keeps the graph alive when stored) instead of a float.
def train_step(model, x, y, loss_fn, optimizer):
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss
