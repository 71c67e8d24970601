# The L1 norm sum(|g|) instead of the L2 norm.
def grad_norms(model):
    return {name: p.grad.abs().sum().item() for name, p in model.named_parameters() if p.grad is not None}
