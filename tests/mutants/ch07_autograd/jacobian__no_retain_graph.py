# Runs backward once per row through one graph without retain_graph=True: the second pass raises.
def jacobian(f, x):
    leaf = x.detach().clone().requires_grad_(True)
    y = f(leaf)
    rows = []
    for i in range(y.shape[0]):
        e_i = torch.zeros_like(y)
        e_i[i] = 1.0
        y.backward(gradient=e_i)
        rows.append(leaf.grad.clone())
        leaf.grad.zero_()
    return torch.stack(rows)
