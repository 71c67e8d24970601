# The squared norm sum(g^2), without the square root.
def grad_norms(model):
    return {name: p.grad.pow(2).sum().item() for name, p in model.named_parameters() if p.grad is not None}
