# Builds the leaf with torch.tensor(x.tolist(), ...), which makes float32: a float64 x loses its dtype.
def jacobian(f, x):
    leaf = torch.tensor(x.tolist(), requires_grad=True)
    y = f(leaf)
    rows = []
    for i in range(y.shape[0]):
        e_i = torch.zeros_like(y)
        e_i[i] = 1.0
        y.backward(gradient=e_i, retain_graph=True)
        rows.append(leaf.grad.clone())
        leaf.grad.zero_()
    return torch.stack(rows)
