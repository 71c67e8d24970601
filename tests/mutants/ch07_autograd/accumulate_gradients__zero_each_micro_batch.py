# zero_grad inside the loop: only the last micro-batch's gradient survives.
def accumulate_gradients(model, loss_fn, micro_batches):
    total = sum(len(y) for _, y in micro_batches)
    mean_loss = 0.0
    for x, y in micro_batches:
        model.zero_grad()
        loss = loss_fn(model(x), y) * (len(y) / total)
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
