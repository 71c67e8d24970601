# Python's `or` on truth values: right for single numbers, fails on arrays.
def or_gate(x1, x2):
    return int(bool(x1) or bool(x2))
