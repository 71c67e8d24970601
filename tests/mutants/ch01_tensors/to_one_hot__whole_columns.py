# out[:, labels] sets whole columns instead of one entry per row.
import numpy as np


def to_one_hot(labels, num_classes):
    labels = np.asarray(labels)
    if labels.ndim != 1 or (labels.size and (labels.min() < 0 or labels.max() >= num_classes)):
        raise ValueError("bad labels")
    out = np.zeros((labels.shape[0], num_classes))
    out[:, labels] = 1.0
    return out
