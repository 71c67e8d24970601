# Creates the generator inside the loop: every trial samples the same values.
import numpy as np


def random_search(objective, space, n_trials, seed=0):
    trials = []
    for _ in range(n_trials):
        rng = np.random.default_rng(seed)
        params = {name: float(sample_log_uniform(low, high, None, rng)) for name, (low, high) in space.items()}
        trials.append({"params": params, "score": float(objective(params))})
    return sorted(trials, key=lambda trial: trial["score"], reverse=True)
