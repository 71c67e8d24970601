# No dtype check: a 0/1 integer mask is used as a list of row numbers and fills rows 0 and 1.
def masked_fill(x, mask, value):
    if tuple(mask.shape) != tuple(x.shape):
        raise ValueError(f"mask has shape {tuple(mask.shape)} but x has shape {tuple(x.shape)}")
    out = x.clone() if isinstance(x, torch.Tensor) else x.copy()
    out[mask] = value
    return out
