# The norms of the weights, not of their gradients.
def grad_norms(model):
    return {name: p.detach().norm(2).item() for name, p in model.named_parameters() if p.grad is not None}
