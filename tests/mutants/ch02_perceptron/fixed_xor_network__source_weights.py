# Returns source 004's weights unchanged (outputs 0.555 / 0.614).
import numpy as np


def fixed_xor_network():
    return (np.array([[-2.0, 2.0], [-2.0, 2.0]]), np.array([3.0, -1.0]), np.array([[1.0], [1.0]]), np.array([-1.0]))
