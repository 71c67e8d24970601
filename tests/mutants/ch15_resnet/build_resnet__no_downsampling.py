# Never downsamples: every block has stride 1, so all stages run at 32 x 32 (global pooling hides it in the output shape).
import torch.nn as nn


def build_resnet(width=16, blocks_per_stage=3, shortcuts=True, num_classes=10):
    layers = [nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    channels = width
    for out_channels in (width, 2 * width, 4 * width):
        for _ in range(blocks_per_stage):
            layers.append(ResidualBlock(channels, out_channels, 1, shortcut=shortcuts))  # noqa: F821
            channels = out_channels
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, num_classes)]
    return nn.Sequential(*layers)
