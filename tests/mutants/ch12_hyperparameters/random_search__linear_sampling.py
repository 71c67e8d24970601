# Samples uniformly between low and high instead of log-uniformly.
import numpy as np


def random_search(objective, space, n_trials, seed=0):
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(n_trials):
        params = {name: float(rng.uniform(low, high)) for name, (low, high) in space.items()}
        trials.append({"params": params, "score": float(objective(params))})
    return sorted(trials, key=lambda trial: trial["score"], reverse=True)
