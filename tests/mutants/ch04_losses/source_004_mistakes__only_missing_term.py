# Spots the dropped term but not the sign error or the impossible negative total.
def source_004_mistakes():
    return {"a"}
