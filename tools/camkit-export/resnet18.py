"""ResNet-18 (He et al., 2016; the layout of torchvision's resnet18) with seeded random weights, for benchmarks:
torchvision does not load beside the torch the export tool uses, so the network is written out here. Its timing, not
its predictions, is what the benchmark needs.

    python camkit_export.py --factory resnet18:build_model --input 1,3,224,224 --layer layer4 --output resnet18.pt
"""

import torch
from torch import nn

from fixtures import BasicBlock


class ResNet18(nn.Module):
    """7x7/2 stem and 3x3/2 max pool, four stages of two basic blocks (64, 128, 256, 512), average pool, 1000 classes."""

    def __init__(self, classes=1000):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                                  nn.MaxPool2d(3, 2, 1))
        stages, cin = [], 64
        for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            stages.append(nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)))
            cin = cout
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.layer4(self.layer3(self.layer2(self.layer1(self.stem(x)))))
        return self.fc(torch.flatten(self.pool(x), 1))


def build_model():
    torch.manual_seed(18)
    return ResNet18().eval()
