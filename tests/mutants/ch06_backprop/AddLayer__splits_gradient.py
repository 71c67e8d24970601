# Splits the gradient between the two inputs, as if the sum were shared out.
class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout / 2, dout / 2
