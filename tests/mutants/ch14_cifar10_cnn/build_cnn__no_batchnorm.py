# Leaves out batch normalization: conv -> ReLU only.
import torch.nn as nn


def build_cnn(width=32, num_classes=10):
    def conv_relu(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU()]

    layers = conv_relu(3, width)
    c = width
    for c_out in (width, 2 * width, 4 * width):
        layers += conv_relu(c, c_out) + [nn.MaxPool2d(2)] + conv_relu(c_out, c_out)
        c = c_out
    layers += [nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(c, num_classes)]
    return nn.Sequential(*layers)
