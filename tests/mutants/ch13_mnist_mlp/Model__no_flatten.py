# No flatten: works on (N, 784) but not on images (N, 1, 28, 28).
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, input_dim=784, n_dim=256):
        super().__init__()
        self.layer1 = nn.Linear(input_dim, n_dim)
        self.layer2 = nn.Linear(n_dim, n_dim)
        self.layer3 = nn.Linear(n_dim, 10)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.layer3(self.act(self.layer2(self.act(self.layer1(x)))))
