"""Small models for the export tests (also importable as CLI factories: --factory testmodels:small_cnn)."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def _seeded(model, seed):
    """Random weights and batch-norm statistics, so eval-mode batch norm is not the identity."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
    return model.eval()


class ConvBlock(nn.Module):
    """conv - batch norm - ReLU."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride, 1)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class SmallCNN(nn.Module):
    """stem - body.0 - body.1 - pool - fc: every layer cuts cleanly."""

    def __init__(self):
        super().__init__()
        self.stem = ConvBlock(3, 6)
        self.body = nn.Sequential(ConvBlock(6, 8, 2), ConvBlock(8, 10, 2))
        self.fc = nn.Linear(10, 3)

    def forward(self, x):
        x = self.body(self.stem(x))
        return self.fc(x.mean(dim=(2, 3)))


def small_cnn():
    return _seeded(SmallCNN(), 0)


class Gate(nn.Module):
    """Picks a branch from the input's values: data-dependent control flow (TorchScript compiles it, fx cannot)."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(6, 6, 1)
        self.b = nn.Conv2d(6, 6, 3, padding=1)

    def forward(self, x):
        if x.mean() > 0:
            return self.a(x)
        return self.b(x)


class Branchy(nn.Module):
    """A model torch.fx cannot trace through: Gate branches on tensor values."""

    def __init__(self):
        super().__init__()
        self.stem = ConvBlock(3, 6)
        self.gate = Gate()
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        return self.fc(self.gate(self.stem(x)).mean(dim=(2, 3)))


def branchy():
    return _seeded(Branchy(), 1)


class Residual(nn.Module):
    """x + conv2(relu(conv1(x))): the skip crosses any cut inside the block."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.conv2(F.relu(self.conv1(x)))


class SkipNet(nn.Module):
    """stem - block (residual) - body - fc; with long_skip, the stem's output is also added to body's output."""

    def __init__(self, long_skip):
        super().__init__()
        self.long_skip = long_skip
        self.stem = ConvBlock(3, 6)
        self.block = Residual(6)
        self.body = ConvBlock(6, 6)
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        s = self.stem(x)
        y = self.body(self.block(s))
        if self.long_skip:  # a Python bool: fx sees one branch
            y = y + s
        return self.fc(y.mean(dim=(2, 3)))


def res_net():
    return _seeded(SkipNet(long_skip=False), 2)


def skip_net():
    return _seeded(SkipNet(long_skip=True), 2)


class Lambda(nn.Module):
    """Applies a Python function stored on the module: torch.fx traces it, TorchScript cannot compile it."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class Unscriptable(nn.Module):
    """stem - odd (a Lambda) - fc."""

    def __init__(self):
        super().__init__()
        self.stem = ConvBlock(3, 6)
        self.odd = Lambda(lambda t: t * torch.sigmoid(t))
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        return self.fc(self.odd(self.stem(x)).mean(dim=(2, 3)))


def unscriptable():
    return _seeded(Unscriptable(), 3)


class SizeNet(nn.Module):
    """Reads the input size before the encoder and upsamples to it after (torchvision's FCN does this)."""

    def __init__(self):
        super().__init__()
        self.encoder = ConvBlock(3, 4, 2)
        self.classifier = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        size = x.shape[-2:]
        return F.interpolate(self.classifier(self.encoder(x)), size=size, mode="bilinear", align_corners=False)


def size_net():
    return _seeded(SizeNet(), 4)


class Upsampling(nn.Module):
    """A conv net that upsamples with F.interpolate: scripting it refers to resize ops newer than camkit's libtorch."""

    def __init__(self):
        super().__init__()
        self.body = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.out = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        y = torch.relu(self.body(x))
        return self.out(nn.functional.interpolate(y, scale_factor=2.0, mode="bilinear", align_corners=False))


def upsampling():
    return _seeded(Upsampling(), 5)
