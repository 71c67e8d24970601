# Adds each bias after the activation instead of before.
def two_layer_forward(X, W1, b1, W2, b2, activation):
    hidden = activation(X @ W1) + b1
    return activation(hidden @ W2) + b2
