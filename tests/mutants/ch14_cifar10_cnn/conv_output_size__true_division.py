# Uses / instead of //: float sizes, and 4.5 instead of 4 when the stride does not divide evenly.
def conv_output_size(h, w, kernel, stride=1, padding=0):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return (h + 2 * padding - kh) / stride + 1, (w + 2 * padding - kw) / stride + 1
