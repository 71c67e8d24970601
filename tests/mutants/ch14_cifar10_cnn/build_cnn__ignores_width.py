# Hard-codes 32 channels and ignores the width argument.
import torch.nn as nn


def build_cnn(width=32, num_classes=10):
    def conv_bn_relu(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

    layers = conv_bn_relu(3, 32)
    c = 32
    for c_out in (32, 64, 128):
        layers += conv_bn_relu(c, c_out) + [nn.MaxPool2d(2)] + conv_bn_relu(c_out, c_out)
        c = c_out
    layers += [nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(c, num_classes)]
    return nn.Sequential(*layers)
