# Adds the padding on one side only: n + p instead of n + 2p.
def conv_output_size(h, w, kernel, stride=1, padding=0):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return (h + padding - kh) // stride + 1, (w + padding - kw) // stride + 1
