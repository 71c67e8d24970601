# Keeps the width in every stage: no channel doubling, so the linear layer sees width features.
import torch.nn as nn


def build_resnet(width=16, blocks_per_stage=3, shortcuts=True, num_classes=10):
    layers = [nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    channels = width
    for stage in range(3):
        for i in range(blocks_per_stage):
            stride = 2 if stage > 0 and i == 0 else 1
            layers.append(ResidualBlock(channels, width, stride, shortcut=shortcuts))  # noqa: F821
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, num_classes)]
    return nn.Sequential(*layers)
