# optimizer.step() before loss.backward(): each step uses the previous batch's gradients.
def train_step(model, x, y, loss_fn, optimizer):
    model.train()
    loss = loss_fn(model(x), y)
    optimizer.step()
    optimizer.zero_grad()
    loss.backward()
    return loss.item()
