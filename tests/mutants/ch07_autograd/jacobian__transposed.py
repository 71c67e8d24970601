# Stacks the rows as columns: (n, m) instead of (m, n).
def jacobian(f, x):
    leaf = x.detach().clone().requires_grad_(True)
    y = f(leaf)
    rows = []
    for i in range(y.shape[0]):
        e_i = torch.zeros_like(y)
        e_i[i] = 1.0
        y.backward(gradient=e_i, retain_graph=True)
        rows.append(leaf.grad.clone())
        leaf.grad.zero_()
    return torch.stack(rows, dim=1)
