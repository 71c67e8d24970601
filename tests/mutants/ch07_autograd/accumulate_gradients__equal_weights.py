# Weights every micro-batch 1/k: right only when all micro-batches have the same size.
def accumulate_gradients(model, loss_fn, micro_batches):
    model.zero_grad()
    mean_loss = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y) / len(micro_batches)
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
