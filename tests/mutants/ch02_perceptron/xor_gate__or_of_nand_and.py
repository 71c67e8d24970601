# Wrong wiring: OR(NAND, AND) is always 1.
def xor_gate(x1, x2):
    return or_gate(nand_gate(x1, x2), and_gate(x1, x2))
