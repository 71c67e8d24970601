# Central difference divided by h instead of 2h: twice the derivative.
def numerical_diff(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / h
