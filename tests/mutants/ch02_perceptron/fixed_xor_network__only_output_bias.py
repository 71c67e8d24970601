# Moves only the output bias to -1.5: (0, 1) still comes out at 0.491.
import numpy as np


def fixed_xor_network():
    return (np.array([[-2.0, 2.0], [-2.0, 2.0]]), np.array([3.0, -1.0]), np.array([[1.0], [1.0]]), np.array([-1.5]))
