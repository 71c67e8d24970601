"""FedAvg vs FedFocal on MNIST (chapter 16), in full mode: the notebook's experiment, over seeds.

Ten clients share the first 20,000 MNIST training images, split IID or by Dirichlet(alpha) label
skew; each round every client trains source 003's 784-64-64-10 MLP for one local epoch of SGD (lr 0.05 or 0.1,
batch 32) with cross-entropy or focal loss (gamma 2); FedAvg aggregates; the global model is tested
on the 10,000 MNIST test images. The functions are the solution notebook's own answer cells.

    python bench/federated.py [--seeds 3] [--rounds 30]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
import torch.nn as nn

import utils

from notebook_answers import load_answers
from report import write_section

N_FED, N_CLIENTS, LR, BATCH = 20_000, 10, 0.05, 32
SETUP = "import copy\nimport numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport utils\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    ch16 = load_answers("ch16_federated", SETUP, extra_cells=("class Model",))
    x, y = utils.load_mnist(train=True, flatten=True)
    x_test, y_test = utils.load_mnist(train=False, flatten=True)
    x, y = x[:N_FED], y[:N_FED]
    # Focal loss shrinks every gradient (by (1 - p_t)^gamma), so it learns more slowly at the same learning
    # rate: both losses also run at twice the learning rate, a fair comparison needs each at its best.
    ce, focal = nn.CrossEntropyLoss(), ch16["FocalLoss"](gamma=2.0)
    losses = {
        f"cross-entropy, lr {LR:g}": (ce, LR),
        f"focal (γ = 2), lr {LR:g}": (focal, LR),
        f"cross-entropy, lr {2 * LR:g}": (ce, 2 * LR),
        f"focal (γ = 2), lr {2 * LR:g}": (focal, 2 * LR),
    }
    results: dict[tuple[str, str], list[dict]] = {}
    t0 = time.perf_counter()
    for seed in range(args.seeds):
        partitions = {
            "IID": np.array_split(np.random.default_rng(seed).permutation(N_FED), N_CLIENTS),
            "Dirichlet α = 1": ch16["dirichlet_partition"](y, N_CLIENTS, 1.0, seed=seed),
            "Dirichlet α = 0.1": ch16["dirichlet_partition"](y, N_CLIENTS, 0.1, seed=seed),
        }
        for part_name, parts in partitions.items():
            clients = [(x[torch.from_numpy(p)], y[torch.from_numpy(p)]) for p in parts]
            for loss_name, (loss_fn, lr) in losses.items():
                res = ch16["run_federated"](
                    ch16["Model"],
                    clients,
                    (x_test, y_test),
                    rounds=args.rounds,
                    local_epochs=1,
                    lr=lr,
                    loss_fn=loss_fn,
                    batch_size=BATCH,
                    seed=seed,
                )
                res["skew"] = utils.federated.label_skew(parts, y.numpy())
                results.setdefault((part_name, loss_name), []).append(res)
                print(f"seed {seed} {part_name:<18} {loss_name:<24} final {res['accuracy'][-1]:.3f}", flush=True)
    minutes = (time.perf_counter() - t0) / 60

    def mean_sd(values) -> str:
        values = np.asarray(values)
        return f"{values.mean():.3f} ± {values.std():.3f}"

    rows = []
    for (part_name, loss_name), runs in results.items():
        acc = np.array([r["accuracy"] for r in runs])  # (seeds, rounds)
        per_class = np.array([r["per_class"] for r in runs])  # (seeds, classes)
        rows.append(
            f"| {part_name} ({np.mean([r['skew'] for r in runs]):.2f}) | {loss_name} | {mean_sd(acc[:, min(9, args.rounds - 1)])} | "
            f"{mean_sd(acc[:, -1])} | {mean_sd(per_class.min(axis=1))} |"
        )
    body = (
        f"Recipe: {N_FED:,} MNIST training images over {N_CLIENTS} clients, {args.rounds} rounds of one local epoch "
        f"(SGD, batch {BATCH}), 784-64-64-10 MLP, test on the 10,000 test images. "
        f"Mean ± standard deviation over seeds 0-{args.seeds - 1} (partition, initial weights, shuffling). "
        f"Label skew: `utils.federated.label_skew` (0 = IID, 1 = disjoint). Total time {minutes:.1f} min.\n\n"
        f"| partition (label skew) | client loss | accuracy after round {min(10, args.rounds)} | final accuracy | worst class, final |\n"
        "|---|---|---|---|---|\n" + "\n".join(rows)
    )
    write_section("federated", "FedAvg vs FedFocal on MNIST (chapter 16)", body)


if __name__ == "__main__":
    main()
