# No pooling anywhere: the linear layer gets 4c x 32 x 32 inputs (over 1.3 million weights).
import torch.nn as nn


def build_cnn(width=32, num_classes=10):
    def conv_bn_relu(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

    layers = conv_bn_relu(3, width)
    c = width
    for c_out in (width, 2 * width, 4 * width):
        layers += conv_bn_relu(c, c_out) + conv_bn_relu(c_out, c_out)
        c = c_out
    layers += [nn.Flatten(), nn.Linear(c * 32 * 32, num_classes)]
    return nn.Sequential(*layers)
