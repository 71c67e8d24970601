# Wrong output gate: NAND(NAND, OR) is XNOR.
def xor_gate(x1, x2):
    return nand_gate(nand_gate(x1, x2), or_gate(x1, x2))
