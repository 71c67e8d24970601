# Mixes up the derivatives: 1 - s**2 is tanh's form, not the sigmoid's.
def sigmoid_grad(x):
    s = sigmoid(x)
    return 1.0 - s**2
