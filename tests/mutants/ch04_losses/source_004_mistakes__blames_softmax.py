# All true statements, plus the false claim that softmax was missing.
def source_004_mistakes():
    return {"a", "b", "d", "e", "f"}
