# Right pattern, integer dtype: multiplying with probabilities later would truncate.
import numpy as np


def to_one_hot(labels, num_classes):
    labels = np.asarray(labels)
    if labels.ndim != 1 or (labels.size and (labels.min() < 0 or labels.max() >= num_classes)):
        raise ValueError("bad labels")
    out = np.zeros((labels.shape[0], num_classes), dtype=np.int64)
    out[np.arange(labels.shape[0]), labels] = 1
    return out
