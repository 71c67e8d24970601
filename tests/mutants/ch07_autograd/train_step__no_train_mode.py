# Right step, but never calls model.train(): after an evaluation in eval mode, dropout and batch norm
# would stay switched to inference behaviour while training.
def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
