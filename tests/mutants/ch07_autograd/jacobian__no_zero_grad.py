# Never clears leaf.grad between rows: each row is the sum of all rows so far (.grad accumulates).
def jacobian(f, x):
    leaf = x.detach().clone().requires_grad_(True)
    y = f(leaf)
    rows = []
    for i in range(y.shape[0]):
        e_i = torch.zeros_like(y)
        e_i[i] = 1.0
        y.backward(gradient=e_i, retain_graph=True)
        rows.append(leaf.grad.clone())
    return torch.stack(rows)
