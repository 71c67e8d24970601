# Each client continues from its own previous model instead of the new global one.
import numpy as np
import torch

import utils


def run_federated(model_fn, clients, test_data, rounds, local_epochs, lr, loss_fn, batch_size=32, seed=0):
    torch.manual_seed(seed)
    global_model = model_fn()
    x_test, y_test = test_data
    import copy

    local_models = [copy.deepcopy(global_model) for _ in clients]
    accuracy = []
    for r in range(rounds):
        results = [
            client_update(
                local_models[k], data, local_epochs, lr, loss_fn, batch_size, seed=seed + r * len(clients) + k
            )
            for k, data in enumerate(clients)
        ]
        global_model.load_state_dict(fedavg([s for s, _ in results], [n for _, n in results]))
        for model, (state, _) in zip(local_models, results):
            model.load_state_dict(state)
        accuracy.append(utils.evaluate_accuracy(global_model, x_test, y_test))
    global_model.eval()
    with torch.no_grad():
        predictions = global_model(x_test).argmax(dim=1)
    per_class = np.array([(predictions[y_test == c] == c).float().mean().item() for c in range(int(y_test.max()) + 1)])
    return {"accuracy": accuracy, "per_class": per_class, "state": global_model.state_dict()}
