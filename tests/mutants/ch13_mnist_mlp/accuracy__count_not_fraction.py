# Returns the number of correct predictions, not the fraction.
def accuracy(logits, labels):
    return float((logits.argmax(dim=1) == labels).sum().item())
