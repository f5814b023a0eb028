"""Layers from the GAN literature that plugins reuse, each a plain `nn.Module`.

Critic-side: `MinibatchDiscrimination`, `GaussianNoise`, `PatchDiscriminator`; either side:
`SelfAttention`; image-to-image generators: `UNetGenerator` (pix2pix), `ResnetGenerator` and its
`ResidualBlock` (CycleGAN). Image layers take NCHW tensors.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor, nn

Norm = Literal["batch", "instance", "none"]


def _norm(kind: Norm, channels: int) -> nn.Module:
    """The normalisation pix2pix/CycleGAN use: BatchNorm, or InstanceNorm without affine."""
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "instance":
        return nn.InstanceNorm2d(channels)
    if kind == "none":
        return nn.Identity()
    raise ValueError(f"unknown norm {kind!r}; use 'batch', 'instance' or 'none'")


def _check_divisible(x: Tensor, multiple: int, owner: str) -> None:
    if x.shape[-2] % multiple or x.shape[-1] % multiple:
        raise ValueError(f"{owner} needs height and width divisible by {multiple}, "
                         f"got {tuple(x.shape[-2:])}")


class MinibatchDiscrimination(nn.Module):
    """Minibatch discrimination (Salimans et al. 2016): lets the critic see a whole batch.

    A critic scoring samples one by one cannot tell a collapsed batch from a varied one. Each
    sample is projected to `out_features` rows of `kernel_dims` values; feature b of sample i is
    sum over j != i of exp(-||M_ib - M_jb||_1), its closeness to the rest of the batch. The
    output is the input with these `out_features` columns appended: (N, in + out).
    """

    def __init__(self, in_features: int, out_features: int, kernel_dims: int) -> None:
        super().__init__()
        self.out_features = out_features
        self.kernel_dims = kernel_dims
        # Scaled so that initial L1 distances are O(1): exp(-d) starts neither at 0 nor at 1.
        self.T = nn.Parameter(torch.randn(in_features, out_features * kernel_dims)
                              / (kernel_dims * in_features**0.5))

    def forward(self, x: Tensor) -> Tensor:
        m = (x @ self.T).view(-1, self.out_features, self.kernel_dims)  # (N, B, C)
        dist = (m.unsqueeze(0) - m.unsqueeze(1)).abs().sum(-1)  # (N, N, B)
        closeness = torch.exp(-dist).sum(0) - 1.0  # drop each sample's exp(0) with itself
        return torch.cat([x, closeness], dim=1)


class SelfAttention(nn.Module):
    """Self-attention over positions (SAGAN, Zhang et al. 2019) for long-range structure.

    Convolutions only mix neighbours; attention lets every position look at every other.
    The output is x + gamma * attention(x) with a learned gamma starting at 0, so the layer is
    the identity at initialisation and the network learns how much non-local evidence to use.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        inner = max(channels // 8, 1)
        self.query = nn.Conv2d(channels, inner, 1)
        self.key = nn.Conv2d(channels, inner, 1)
        self.value = nn.Conv2d(channels, channels, 1)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: Tensor) -> Tensor:
        n, c, h, w = x.shape
        q = self.query(x).flatten(2).transpose(1, 2)  # (N, HW, C')
        k = self.key(x).flatten(2)  # (N, C', HW)
        attention = torch.softmax(q @ k, dim=-1)  # (N, HW, HW): row i attends over all j
        out = (self.value(x).flatten(2) @ attention.transpose(1, 2)).view(n, c, h, w)
        return x + self.gamma * out


class GaussianNoise(nn.Module):
    """Adds N(0, std^2) noise in training only (the K+1 critic's input noise).

    Noise on the critic's inputs or hidden units smooths its decision surface so it cannot
    separate real from fake by imperceptible details (Salimans et al. 2016; Sønderby et al.
    2017). Evaluation sees the clean signal.
    """

    def __init__(self, std: float) -> None:
        super().__init__()
        if std < 0:
            raise ValueError(f"noise std must be >= 0, got {std}")
        self.std = std

    def forward(self, x: Tensor) -> Tensor:
        if self.training and self.std > 0:
            return x + self.std * torch.randn_like(x)
        return x

    def extra_repr(self) -> str:
        return f"std={self.std}"


def patch_receptive_field(n_layers: int) -> int:
    """Side of the input patch one `PatchDiscriminator` output sees: 9 * 2**n_layers - 2.

    Walking back from one output, r = 1, each stride-1 4x4 conv adds 3 (r = 7 after the last
    two) and each stride-2 4x4 conv maps r to 2r + 2; solving r_n + 2 = 9 * 2**n gives the
    formula: 16, 34, 70, 142, 286 for n_layers = 1..5 (pix2pix's 70x70 PatchGAN is n_layers=3).
    """
    if n_layers < 1:
        raise ValueError(f"n_layers must be >= 1, got {n_layers}")
    return 9 * 2**n_layers - 2


class PatchDiscriminator(nn.Module):
    """PatchGAN critic (pix2pix, Isola et al. 2017): one real/fake logit per image patch.

    Judging overlapping patches models only high-frequency structure (the L1 term of pix2pix
    handles low frequencies), needs fewer parameters than a whole-image critic and runs on any
    image size. Output: (N, 1, H', W') logits, each seeing `patch_receptive_field(n_layers)`
    pixels square: `n_layers` stride-2 4x4 convs, then two stride-1 4x4 convs.
    """

    def __init__(self, in_channels: int, base: int = 64, n_layers: int = 3,
                 norm: Norm = "batch") -> None:
        super().__init__()
        self.receptive_field = patch_receptive_field(n_layers)
        layers: list[nn.Module] = [nn.Conv2d(in_channels, base, 4, 2, 1), nn.LeakyReLU(0.2)]
        channels = base
        for n in range(1, n_layers + 1):
            out = base * min(2**n, 8)
            stride = 2 if n < n_layers else 1
            layers += [nn.Conv2d(channels, out, 4, stride, 1, bias=norm == "none"),
                       _norm(norm, out), nn.LeakyReLU(0.2)]
            channels = out
        layers.append(nn.Conv2d(channels, 1, 4, 1, 1))
        self.model = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.model(x)


Upsample = Literal["transpose", "resize"]


def upsampling(kind: Upsample, c_in: int, c_out: int, bias: bool) -> nn.Module:
    """Double the side: a stride-2 transposed convolution (the papers' choice), or a
    nearest-neighbour resize then a 3x3 convolution, which cannot paint the checkerboard
    artefacts of overlapping transposed-convolution kernels (Odena et al. 2016)."""
    if kind == "transpose":
        return nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=bias)
    return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                         nn.Conv2d(c_in, c_out, 3, 1, 1, bias=bias))


class UNetGenerator(nn.Module):
    """pix2pix U-Net generator (Isola et al. 2017): encoder-decoder with skip connections.

    In image-to-image translation input and output share low-level structure (edges, layout);
    the skips from each encoder level to its mirror decoder level let it bypass the bottleneck.
    pix2pix gets its stochasticity from dropout instead of a noise input: the three innermost
    decoder blocks apply dropout, kept in training. Channels double per level up to 8 * base;
    the output is tanh, in [-1, 1]. Height and width must be multiples of `size_multiple(depth)`
    (depth 8 takes 256x256 down to 1x1). `upsample` chooses the decoder's upsampling.
    """

    def __init__(self, in_channels: int, out_channels: int, base: int = 64, depth: int = 8,
                 dropout: bool = True, norm: Norm = "batch",
                 upsample: Upsample = "transpose") -> None:
        super().__init__()
        if depth < 1:
            raise ValueError(f"depth must be >= 1, got {depth}")
        self.depth = depth
        ch = [base * min(2**i, 8) for i in range(depth)]
        self.down = nn.ModuleList()
        self.up = nn.ModuleList()
        for i in range(depth):
            normed = 0 < i < depth - 1  # pix2pix: no norm on the first and the bottleneck
            down: list[nn.Module] = [nn.LeakyReLU(0.2)] if i > 0 else []
            down += [nn.Conv2d(in_channels if i == 0 else ch[i - 1], ch[i], 4, 2, 1,
                               bias=not normed or norm == "none")]
            if normed:
                down.append(_norm(norm, ch[i]))
            self.down.append(nn.Sequential(*down))

            up_in = ch[i] if i == depth - 1 else 2 * ch[i]  # skip concatenated below innermost
            up: list[nn.Module] = [nn.ReLU()]
            if i == 0:
                up += [upsampling(upsample, up_in, out_channels, True), nn.Tanh()]
            else:
                up += [upsampling(upsample, up_in, ch[i - 1], norm == "none"),
                       _norm(norm, ch[i - 1])]
                if dropout and i >= depth - 3:
                    up.append(nn.Dropout(0.5))
            self.up.append(nn.Sequential(*up))

    @staticmethod
    def size_multiple(depth: int) -> int:
        """What input height and width must be divisible by: each level halves them."""
        return 2**depth

    def forward(self, x: Tensor) -> Tensor:
        _check_divisible(x, self.size_multiple(self.depth), "UNetGenerator")
        skips = []
        for down in self.down:
            x = down(x)
            skips.append(x)
        x = self.up[-1](skips.pop())
        for up in reversed(self.up[:-1]):
            x = up(torch.cat([x, skips.pop()], dim=1))
        return x


class ResidualBlock(nn.Module):
    """x + F(x) with F = two reflection-padded 3x3 convs (He et al. 2016; CycleGAN's blocks).

    The identity path keeps the content of the image while the block learns the change.
    """

    def __init__(self, channels: int, norm: Norm = "instance") -> None:
        super().__init__()
        bias = norm == "none"
        self.block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3, bias=bias),
            _norm(norm, channels), nn.ReLU(),
            nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3, bias=bias),
            _norm(norm, channels),
        )

    def forward(self, x: Tensor) -> Tensor:
        return x + self.block(x)


class ResnetGenerator(nn.Module):
    """CycleGAN generator (Zhu et al. 2017, after Johnson et al. 2016): down, residual, up.

    Suited to translations that change appearance but keep geometry: `n_down` stride-2 convs,
    `n_blocks` residual blocks at the low resolution, `n_down` transposed convs back, tanh
    output in [-1, 1]. Reflection padding instead of zeros avoids border artefacts. Height and
    width must be multiples of `size_multiple(n_down)`. `upsample` chooses the way back up.
    """

    def __init__(self, in_channels: int, out_channels: int, base: int = 64, n_blocks: int = 6,
                 n_down: int = 2, norm: Norm = "instance",
                 upsample: Upsample = "transpose") -> None:
        super().__init__()
        self.n_down = n_down
        bias = norm == "none"
        layers: list[nn.Module] = [nn.ReflectionPad2d(3),
                                   nn.Conv2d(in_channels, base, 7, bias=bias),
                                   _norm(norm, base), nn.ReLU()]
        channels = base
        for _ in range(n_down):
            layers += [nn.Conv2d(channels, 2 * channels, 3, 2, 1, bias=bias),
                       _norm(norm, 2 * channels), nn.ReLU()]
            channels *= 2
        layers += [ResidualBlock(channels, norm) for _ in range(n_blocks)]
        for _ in range(n_down):
            up = (nn.ConvTranspose2d(channels, channels // 2, 3, 2, 1, output_padding=1, bias=bias)
                  if upsample == "transpose" else upsampling(upsample, channels, channels // 2,
                                                             bias))
            layers += [up, _norm(norm, channels // 2), nn.ReLU()]
            channels //= 2
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(channels, out_channels, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    @staticmethod
    def size_multiple(n_down: int) -> int:
        """What input height and width must be divisible by to come back at the same size."""
        return 2**n_down

    def forward(self, x: Tensor) -> Tensor:
        _check_divisible(x, self.size_multiple(self.n_down), "ResnetGenerator")
        return self.model(x)


__all__ = [
    "MinibatchDiscrimination", "SelfAttention", "GaussianNoise", "patch_receptive_field",
    "PatchDiscriminator", "Upsample", "upsampling", "UNetGenerator", "ResidualBlock",
    "ResnetGenerator",
]

