# Forgets the "+ 1": counts the steps between window positions instead of the positions.
def conv_output_size(h, w, kernel, stride=1, padding=0):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return (h + 2 * padding - kh) // stride, (w + 2 * padding - kw) // stride
