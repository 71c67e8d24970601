# Uses .size: the element count in NumPy, a bound method in torch.
def tensor_info(x):
    return x.ndim, x.size
