# Zeroes the negative entries of the caller's array, then returns it.
import numpy as np


def relu(x):
    x[x < 0] = 0
    return x
