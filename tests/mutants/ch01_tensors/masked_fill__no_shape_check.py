# No shape check: a (N,) mask on an (N, D) array silently fills whole rows.
def masked_fill(x, mask, value):
    is_bool = mask.dtype == torch.bool if isinstance(mask, torch.Tensor) else mask.dtype == np.bool_
    if not is_bool:
        raise TypeError(f"mask must be boolean, got {mask.dtype}")
    out = x.clone() if isinstance(x, torch.Tensor) else x.copy()
    out[mask] = value
    return out
