# Writes into x itself: out = x is a second name for the caller's array, not a copy.
def masked_fill(x, mask, value):
    is_bool = mask.dtype == torch.bool if isinstance(mask, torch.Tensor) else mask.dtype == np.bool_
    if not is_bool:
        raise TypeError(f"mask must be boolean, got {mask.dtype}")
    if tuple(mask.shape) != tuple(x.shape):
        raise ValueError(f"mask has shape {tuple(mask.shape)} but x has shape {tuple(x.shape)}")
    out = x
    out[mask] = value
    return out
