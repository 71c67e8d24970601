# Forgot the ReLU between layer2 and layer3: two linear layers in a row collapse into one.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, input_dim=784, n_dim=256):
        super().__init__()
        self.layer1 = nn.Linear(input_dim, n_dim)
        self.layer2 = nn.Linear(n_dim, n_dim)
        self.layer3 = nn.Linear(n_dim, 10)
        self.act = nn.ReLU()

    def forward(self, x):
        x = torch.flatten(x, start_dim=1)
        return self.layer3(self.layer2(self.act(self.layer1(x))))
