# Forgets the ReLUs: conv -> BN -> conv -> BN ..., with max pooling as the only non-linearity.
import torch.nn as nn


def build_cnn(width=32, num_classes=10):
    def conv_bn(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out)]

    layers = conv_bn(3, width)
    c = width
    for c_out in (width, 2 * width, 4 * width):
        layers += conv_bn(c, c_out) + [nn.MaxPool2d(2)] + conv_bn(c_out, c_out)
        c = c_out
    layers += [nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(c, num_classes)]
    return nn.Sequential(*layers)
