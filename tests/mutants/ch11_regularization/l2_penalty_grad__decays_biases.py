# lambda * p for every parameter, biases included.
def l2_penalty_grad(params, weight_decay):
    return {k: weight_decay * p for k, p in params.items()}
