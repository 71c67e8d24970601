# The backward pass is right, but forward computes x + y and forgets to return it.
class AddLayer:
    def forward(self, x, y):
        out = x + y

    def backward(self, dout):
        return dout, dout
