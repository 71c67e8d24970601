# Reports frozen parameters (grad None) as 0.0 instead of leaving them out.
def grad_norms(model):
    return {name: (0.0 if p.grad is None else p.grad.norm(2).item()) for name, p in model.named_parameters()}
