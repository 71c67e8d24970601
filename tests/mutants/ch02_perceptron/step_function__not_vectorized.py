# Scalar-only: `if x > 0` fails on arrays ("truth value of an array is ambiguous").
def step_function(x):
    if x > 0:
        return 1
    return 0
