# Forgets optimizer.zero_grad(): gradients from earlier backward passes are added in.
def train_step(model, x, y, loss_fn, optimizer):
    model.train()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
