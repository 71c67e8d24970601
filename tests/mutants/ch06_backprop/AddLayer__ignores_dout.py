# Returns the local gradient 1 for both inputs, dropping the upstream gradient.
class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return 1.0, 1.0
