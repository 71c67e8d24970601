# Stride 2 in the first block of every stage, the first included: the stages run at 16, 8 and 4 pixels.
import torch.nn as nn


def build_resnet(width=16, blocks_per_stage=3, shortcuts=True, num_classes=10):
    layers = [nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    channels = width
    for out_channels in (width, 2 * width, 4 * width):
        for i in range(blocks_per_stage):
            layers.append(ResidualBlock(channels, out_channels, 2 if i == 0 else 1, shortcut=shortcuts))  # noqa: F821
            channels = out_channels
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, num_classes)]
    return nn.Sequential(*layers)
