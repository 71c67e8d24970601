# backward() on each micro-batch's mean loss, unscaled: the sum of the means, not the mean.
def accumulate_gradients(model, loss_fn, micro_batches):
    model.zero_grad()
    total = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        loss.backward()
        total += loss.item()
    return total / len(micro_batches)
