# Copies with np.array(x, dtype=float): a float32 array comes back as float64.
def masked_fill(x, mask, value):
    is_bool = mask.dtype == torch.bool if isinstance(mask, torch.Tensor) else mask.dtype == np.bool_
    if not is_bool:
        raise TypeError(f"mask must be boolean, got {mask.dtype}")
    if tuple(mask.shape) != tuple(x.shape):
        raise ValueError(f"mask has shape {tuple(mask.shape)} but x has shape {tuple(x.shape)}")
    out = x.clone() if isinstance(x, torch.Tensor) else np.array(x, dtype=float)
    out[mask] = value
    return out
