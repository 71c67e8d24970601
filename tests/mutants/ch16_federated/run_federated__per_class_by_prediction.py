# per_class[c] is computed over the examples PREDICTED as c (precision, not per-class accuracy).
import numpy as np
import torch

import utils


def run_federated(model_fn, clients, test_data, rounds, local_epochs, lr, loss_fn, batch_size=32, seed=0):
    torch.manual_seed(seed)
    global_model = model_fn()
    x_test, y_test = test_data
    accuracy = []
    for r in range(rounds):
        results = [
            client_update(global_model, data, local_epochs, lr, loss_fn, batch_size, seed=seed + r * len(clients) + k)
            for k, data in enumerate(clients)
        ]
        global_model.load_state_dict(fedavg([s for s, _ in results], [n for _, n in results]))
        accuracy.append(utils.evaluate_accuracy(global_model, x_test, y_test))
    global_model.eval()
    with torch.no_grad():
        predictions = global_model(x_test).argmax(dim=1)
    per_class = np.array([(y_test[predictions == c] == c).float().mean().item() for c in range(int(y_test.max()) + 1)])
    return {"accuracy": accuracy, "per_class": per_class, "state": global_model.state_dict()}
