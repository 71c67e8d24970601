# Returns the output layer's raw sums (logits) instead of applying the activation.
def two_layer_forward(X, W1, b1, W2, b2, activation):
    hidden = activation(X @ W1 + b1)
    return hidden @ W2 + b2
