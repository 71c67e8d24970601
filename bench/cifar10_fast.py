"""CIFAR-10 at a fixed CPU budget (chapter 14): the ideas of the fast-training line, measured one by one.

A small VGG-like network in the style of Jordan's airbench (2024), itself built on Page (2018) and
hlb-cifar10, trained on all 50,000 training images and tested on the 10,000 test images:

* a first 2x2 convolution initialised to **whiten** 2x2 patches (the eigenvectors of their covariance,
  scaled by 1/sqrt(eigenvalue)), frozen, its bias trained for the first epochs only;
* three stages ``conv -> max-pool 2 -> BN -> GELU -> conv -> BN -> GELU``; BatchNorm with its scale
  frozen at 1 (only the shift is learned, with a larger learning rate), convolutions without bias,
  identity-initialised (dirac) on their first channels;
* max-pool 3, linear without bias, logits scaled by 1/9;
* SGD + Nesterov, a triangular learning-rate schedule, label smoothing 0.2, batch 1024, weight decay;
* augmentation: a random translation by up to 2 pixels (reflect padding) and alternating flips
  (half the images mirrored once, then the whole set mirrored every other epoch);
* a lookahead-style exponential moving average (EMA) of the weights, copied back every 5 steps;
* test-time augmentation: the logits of the image, its mirror and two 1-pixel shifts, averaged;
* channels-last memory layout and bfloat16 autocast on the forward pass (where the CPU has it).

    python bench/cifar10_fast.py                       # the headline: accuracy and time, curve per epoch
    python bench/cifar10_fast.py --probe               # throughput only: fp32/bf16, channels-last, widths
    python bench/cifar10_fast.py --ablation --epochs 3 # remove one idea at a time, shorter runs

Training time counts everything the training needs (whitening set-up, augmentation, steps); data
loading (cached JPEG decoding) and the per-epoch test evaluation are excluded.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import utils

from report import write_section


# ------------------------------------------------------------------------------------------- network
class ShiftOnlyBatchNorm(nn.BatchNorm2d):
    """BatchNorm2d whose scale gamma stays 1 (not trained); only the shift beta is learned."""

    def __init__(self, channels: int, affine_scale: bool = False):
        super().__init__(channels, eps=1e-5, momentum=0.4)
        self.weight.requires_grad_(affine_scale)


def conv3x3(c_in: int, c_out: int, dirac: bool) -> nn.Conv2d:
    conv = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False)
    if dirac:  # the first c_in filters start as the identity: an implicit shortcut at initialisation
        nn.init.dirac_(conv.weight.data[:c_in])
    return conv


class Stage(nn.Sequential):
    def __init__(self, c_in: int, c_out: int, cfg):
        super().__init__(
            conv3x3(c_in, c_out, cfg.dirac),
            nn.MaxPool2d(2),
            ShiftOnlyBatchNorm(c_out, cfg.bn_scale),
            nn.GELU(),
            conv3x3(c_out, c_out, cfg.dirac),
            ShiftOnlyBatchNorm(c_out, cfg.bn_scale),
            nn.GELU(),
        )


class Scale(nn.Module):
    def __init__(self, factor: float):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        return x * self.factor


def make_net(cfg) -> nn.Sequential:
    w1, w2, w3 = cfg.widths
    stem = nn.Conv2d(3, 24, 2, padding=0, bias=True)  # 2x2 patches: 12 numbers, +- each eigenvector
    net = nn.Sequential(
        stem,
        nn.GELU(),
        Stage(24, w1, cfg),
        Stage(w1, w2, cfg),
        Stage(w2, w3, cfg),
        nn.MaxPool2d(3),
        nn.Flatten(),
        nn.Linear(w3, 10, bias=False),
        Scale(1 / 9),
    )
    return net.to(memory_format=torch.channels_last) if cfg.channels_last else net


@torch.no_grad()
def whiten_init(stem: nn.Conv2d, images: torch.Tensor, eps: float = 5e-4) -> None:
    """Set the 2x2 stem's 24 filters to +-(eigenvectors of the 2x2-patch covariance) / sqrt(eigenvalue)."""
    patches = images.unfold(2, 2, 1).unfold(3, 2, 1)  # (N, 3, 31, 31, 2, 2)
    patches = patches.permute(0, 2, 3, 1, 4, 5).reshape(-1, 12).double()
    cov = patches.T @ patches / len(patches)
    eigenvalues, eigenvectors = torch.linalg.eigh(cov)  # ascending
    filters = (eigenvectors.T / torch.sqrt(eigenvalues + eps)[:, None]).reshape(12, 3, 2, 2).float()
    stem.weight.copy_(torch.cat([filters, -filters]))
    stem.bias.zero_()


# ---------------------------------------------------------------------------------------------- data
def translate_batch(padded: torch.Tensor, pad: int, g: torch.Generator) -> torch.Tensor:
    """Random crops of the reflect-padded images: each image moves by up to `pad` pixels on each axis."""
    n, c, hp, wp = padded.shape
    h, w = hp - 2 * pad, wp - 2 * pad
    shifts = torch.randint(0, 2 * pad + 1, (n, 2), generator=g)
    out = torch.empty(n, c, h, w, dtype=padded.dtype)
    for dy in range(2 * pad + 1):
        for dx in range(2 * pad + 1):
            mask = (shifts[:, 0] == dy) & (shifts[:, 1] == dx)
            out[mask] = padded[mask, :, dy : dy + h, dx : dx + w]
    return out


class Epochs:
    """Per epoch: translated, alternately flipped copies of the training set, in shuffled batches."""

    def __init__(self, x, y, cfg, g):
        self.y, self.cfg, self.g = y, cfg, g
        flip = torch.rand(len(x), generator=g) < 0.5  # alternating flip: a random half mirrored once ...
        x = torch.where(flip[:, None, None, None], x.flip(3), x) if cfg.flip else x
        self.padded = F.pad(x, (cfg.translate,) * 4, mode="reflect") if cfg.translate else x
        self.epoch = 0

    def batches(self):
        cfg = self.cfg
        x = translate_batch(self.padded, cfg.translate, self.g) if cfg.translate else self.padded
        if cfg.flip and self.epoch % 2 == 1:  # ... then the whole set mirrored every other epoch
            x = x.flip(3)
        self.epoch += 1
        order = torch.randperm(len(x), generator=self.g)
        for start in range(0, len(x) - cfg.batch + 1, cfg.batch):  # drop the last, incomplete batch
            idx = order[start : start + cfg.batch]
            xb = x[idx]
            yield (xb.contiguous(memory_format=torch.channels_last) if cfg.channels_last else xb), self.y[idx]


# ----------------------------------------------------------------------------------------- evaluation
@torch.no_grad()
def predict(net, x, cfg, tta: bool) -> torch.Tensor:
    net.eval()
    out = []
    for xb in x.split(1000):
        if cfg.channels_last:
            xb = xb.contiguous(memory_format=torch.channels_last)
        with autocast(cfg):
            if not tta:
                logits = net(xb).float()
            else:  # mirror, and 1-pixel shifts up-left and down-right (reflect padding), averaged

                def both(v):
                    return 0.5 * (net(v).float() + net(v.flip(3)).float())

                padded = F.pad(xb, (1, 1, 1, 1), mode="reflect")
                shifted = 0.5 * (both(padded[:, :, :32, :32]) + both(padded[:, :, 2:, 2:]))
                logits = 0.5 * both(xb) + 0.5 * shifted
        out.append(logits)
    net.train()
    return torch.cat(out)


def accuracy(logits, y) -> float:
    return (logits.argmax(1) == y).float().mean().item()


def autocast(cfg):
    return utils.precision.autocast("cpu", enabled=cfg.bf16)


# ------------------------------------------------------------------------------------------- training
def train(cfg, x, y, xt, yt, log=print) -> dict:
    torch.manual_seed(cfg.seed)
    g = torch.Generator().manual_seed(cfg.seed)
    start = time.perf_counter()
    net = make_net(cfg)
    if cfg.whiten:
        whiten_init(net[0], x[:5000])
        net[0].weight.requires_grad_(False)
    steps_per_epoch = len(x) // cfg.batch
    total = math.ceil(cfg.epochs * steps_per_epoch)
    # Hyperparameters per 1,024 examples, decoupled from momentum as in airbench (Page 2018, Jordan 2024).
    kilostep = 1024 * (1 + 1 / (1 - cfg.momentum))
    lr = cfg.lr / kilostep
    wd = cfg.wd * cfg.batch / kilostep
    bn_bias = [p for n, p in net.named_parameters() if p.ndim == 1 and p.requires_grad and n != "0.bias"]
    others = [p for n, p in net.named_parameters() if p.requires_grad and not any(p is q for q in bn_bias)]
    opt = torch.optim.SGD(
        [
            dict(params=bn_bias, lr=lr * 64, weight_decay=wd / (lr * 64)),
            dict(params=others, lr=lr, weight_decay=wd / lr),
        ],
        momentum=cfg.momentum,
        nesterov=True,
    )
    base = [group["lr"] for group in opt.param_groups]

    def schedule(step):  # triangular: 0.2 -> 1 at 23 % of the steps -> 0.07 at the end
        peak = int(0.23 * total)
        if step < peak:
            return 0.2 + 0.8 * step / peak
        return 1 + (0.07 - 1) * (step - peak) / max(total - peak, 1)

    loss_fn = nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing, reduction="sum")
    data = Epochs(x, y, cfg, g)
    ema, step, curve, losses = None, 0, [], []
    train_seconds = time.perf_counter() - start
    epoch = 0
    while step < total:
        t0 = time.perf_counter()
        if cfg.whiten:
            net[0].bias.requires_grad_(epoch < cfg.whiten_bias_epochs)
        total_loss, seen = 0.0, 0
        for xb, yb in data.batches():
            for group, b in zip(opt.param_groups, base, strict=True):
                group["lr"] = b * schedule(step)
            with autocast(cfg):
                out = net(xb)
            loss = loss_fn(out.float(), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            if cfg.budget and step == 10:  # fit the run to the time budget: steps = budget / (seconds per step)
                per_step = (train_seconds + time.perf_counter() - t0) / step
                total = max(step + 1, int(cfg.budget / per_step))
                log(
                    f"  budget {cfg.budget:.0f} s at {per_step:.2f} s per step: {total} steps ({total / steps_per_epoch:.1f} epochs)"
                )
            total_loss, seen = total_loss + loss.item(), seen + len(yb)
            if cfg.ema and epoch >= cfg.ema_start and step % 5 == 0:
                with torch.no_grad():
                    state = [v for v in net.state_dict().values() if v.is_floating_point()]
                    if ema is None:
                        ema = [v.clone() for v in state]
                    else:  # the decay warms up over training: move fast first, average strongly at the end
                        rho = 0.95**5 * (step / total) ** 3
                        for e, v in zip(ema, state, strict=True):
                            e.lerp_(v, 1 - rho)
                            v.copy_(e)
            if step >= total:
                break
        train_seconds += time.perf_counter() - t0
        losses.append(total_loss / seen)
        acc = accuracy(predict(net, xt, cfg, tta=False), yt) if cfg.curve or step >= total else None
        curve.append((epoch + 1, train_seconds, acc))
        log(
            f"  epoch {epoch + 1}: loss {losses[-1]:.3f}, {train_seconds:.0f} s of training"
            + (f", test accuracy {acc:.4f} (no TTA)" if acc is not None else ""),
        )
        epoch += 1
    acc_plain = curve[-1][2]
    acc_tta = accuracy(predict(net, xt, cfg, tta=True), yt)
    return {
        "acc": acc_tta,
        "acc_plain": acc_plain,
        "seconds": train_seconds,
        "curve": curve,
        "loss": losses,
        "epochs": step / steps_per_epoch,
    }


# ---------------------------------------------------------------------------------------------- probe
def probe(cfg, x, y, steps: int = 6) -> float:
    """Training throughput (images/s) of `steps` steps after 2 warm-up steps."""
    torch.manual_seed(0)
    net = make_net(cfg)
    opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9, nesterov=True)
    xb = x[: cfg.batch]
    xb = xb.contiguous(memory_format=torch.channels_last) if cfg.channels_last else xb
    yb = y[: cfg.batch]
    for i in range(steps + 2):
        if i == 2:
            t0 = time.perf_counter()
        with autocast(cfg):
            out = net(xb)
        loss = F.cross_entropy(out.float(), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return steps * cfg.batch / (time.perf_counter() - t0)


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "n/a"


ABLATIONS = [  # (label, changes to the headline configuration)
    ("all ideas (this script's recipe)", {}),
    ("without whitening (stem trained from random init)", {"whiten": False}),
    ("without the lookahead EMA of the weights", {"ema": False}),
    ("without label smoothing", {"label_smoothing": 0.0}),
    ("BatchNorm scale trained too", {"bn_scale": True}),
    ("without dirac (identity) init of the convolutions", {"dirac": False}),
    ("fp32 instead of bfloat16 autocast", {"bf16": False}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--widths", default="64,256,256", help="channels of the three stages")
    parser.add_argument("--epochs", type=float, default=10.0)
    parser.add_argument("--budget", type=float, help="seconds of training: sets the number of steps after 10 steps")
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--lr", type=float, default=11.5, help="per 1,024 examples (decoupled)")
    parser.add_argument("--momentum", type=float, default=0.85)
    parser.add_argument("--wd", type=float, default=0.0153, help="per 1,024 examples (decoupled)")
    parser.add_argument("--label-smoothing", type=float, default=0.2)
    parser.add_argument("--translate", type=int, default=2)
    parser.add_argument("--no-flip", dest="flip", action="store_false")
    parser.add_argument("--no-whiten", dest="whiten", action="store_false")
    parser.add_argument("--whiten-bias-epochs", type=int, default=3)
    parser.add_argument("--no-ema", dest="ema", action="store_false")
    parser.add_argument("--ema-start", type=int, default=3)
    parser.add_argument("--bn-scale", action="store_true", help="train BatchNorm's scale gamma too")
    parser.add_argument("--no-dirac", dest="dirac", action="store_false")
    parser.add_argument("--fp32", dest="bf16", action="store_false", help="no bfloat16 autocast")
    parser.add_argument("--no-channels-last", dest="channels_last", action="store_false")
    parser.add_argument("--no-curve", dest="curve", action="store_false", help="skip the per-epoch test accuracy")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, help="train on a fixed random subset of LIMIT images")
    parser.add_argument("--test-limit", type=int, help="test on a fixed random subset of the test images")
    parser.add_argument("--probe", action="store_true", help="throughput only (images/s), no training run")
    parser.add_argument("--ablation", action="store_true", help="rerun with one idea removed at a time")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    cfg = parser.parse_args()
    cfg.widths = tuple(int(v) for v in cfg.widths.split(","))
    torch.set_num_threads(cfg.threads)
    before = uptime()
    x, y = utils.load_cifar10(train=True, normalize=True, limit=cfg.limit)
    xt, yt = utils.load_cifar10(train=False, normalize=True, limit=cfg.test_limit)
    bf16_native = utils.precision.has_fast_bfloat16()

    if cfg.probe:
        rows = []
        for widths in dict.fromkeys([cfg.widths, (32, 64, 128), (48, 192, 192), (64, 256, 256)]):
            for bf16 in (False, True):
                for cl in (False, True):
                    c = argparse.Namespace(**{**vars(cfg), "widths": widths, "bf16": bf16, "channels_last": cl})
                    ips = probe(c, x, y)
                    print(f"widths {widths}, bf16 {bf16}, channels-last {cl}: {ips:,.0f} images/s", flush=True)
                    rows.append(f"| {widths} | {'bf16 autocast' if bf16 else 'fp32'} | {cl} | {ips:,.0f} |")
                    print(uptime(), flush=True)
        body = (
            f"Training throughput of the network of `bench/cifar10_fast.py` (batch {cfg.batch}, forward + backward + "
            f"SGD step, 6 steps after 2 warm-up steps), by stage widths, precision and memory layout. bfloat16 native on "
            f"this CPU: {bf16_native}. Load before: `{before}`; after: `{uptime()}`.\n\n"
            "| stage widths | precision | channels-last | images/s |\n|---|---|---|---|\n"
            + "\n".join(dict.fromkeys(rows))
        )
        if not cfg.no_write:
            write_section("cifar10_fast_probe", "CIFAR-10 fast recipe: training throughput (chapter 14)", body)
        return

    runs = ABLATIONS if cfg.ablation else ABLATIONS[:1]
    rows, results = [], []

    def recipe(after: str) -> str:
        return (
            f"Network: 2x2 stem (24 channels), stages of widths {cfg.widths}; batch {cfg.batch}, "
            + (f"a training budget of {cfg.budget:g} s, " if cfg.budget else f"{cfg.epochs:g} epochs, ")
            + f"lr {cfg.lr:g} and weight decay {cfg.wd:g} per 1,024 examples, Nesterov momentum {cfg.momentum:g}, label smoothing "
            f"{cfg.label_smoothing:g}, translate {cfg.translate} px, flip {cfg.flip}, whitening {cfg.whiten}, EMA {cfg.ema}, "
            f"bfloat16 autocast {cfg.bf16 and bf16_native}, channels-last {cfg.channels_last}, {cfg.threads} threads, seed {cfg.seed}. "
            f"Trained on {len(x):,} training images (JPEG copy), tested on {len(xt):,} test images. Training time includes the "
            f"whitening set-up and the augmentation; data loading and the test evaluations are excluded. "
            f"Load (`uptime`) before: `{before}`; after: `{after}`."
        )

    def table() -> str:
        head = "| configuration | epochs | test accuracy (TTA: flip + 1-px shifts) | without TTA | training time |\n|---|---|---|---|---|\n"
        return head + "\n".join(rows)

    name, title = "cifar10_fast_ablation", f"CIFAR-10 fast recipe: ablation, {cfg.epochs:g} epochs (chapter 14)"
    for i, (label, change) in enumerate(runs):
        c = argparse.Namespace(**{**vars(cfg), **change})
        c.curve = cfg.curve and not cfg.ablation
        print(f"{label}:", flush=True)
        r = train(c, x, y, xt, yt, log=lambda s: print(s, flush=True))
        results.append(r)
        print(
            f"{label}: test accuracy {r['acc']:.4f} with TTA, {r['acc_plain']:.4f} without; {r['seconds']:.0f} s",
            flush=True,
        )
        rows.append(
            f"| {label} | {r['epochs']:.1f} | {r['acc']:.4f} | {r['acc_plain']:.4f} | {r['seconds']:.0f} s ({r['seconds'] / 60:.1f} min) |"
        )
        if cfg.ablation and not cfg.no_write and i + 1 < len(runs):  # an interrupted ablation keeps its finished rows
            todo = ", ".join(label for label, _ in runs[i + 1 :])
            write_section(name, title, recipe(uptime()) + f"\n\nNot yet run (interrupted?): {todo}.\n\n" + table())
    after = uptime()
    if cfg.ablation:
        body = recipe(after) + "\n\n" + table()
    else:
        r = results[0]
        name, title = "cifar10_fast", "CIFAR-10 fast recipe on the CPU: the headline (chapter 14)"
        curve = "\n".join(
            f"| {e} | {s:.0f} | {a:.4f} |" if a is not None else f"| {e} | {s:.0f} | |" for e, s, a in r["curve"]
        )
        body = (
            recipe(after)
            + "\n\n"
            + table()
            + "\n\nAccuracy against training time within this run (test accuracy without TTA after each epoch; the "
            "learning rate is still high before the last epochs, so an early point is not what a shorter run would reach):\n\n"
            "| epoch | training seconds | test accuracy |\n|---|---|---|\n" + curve
        )
    if not cfg.no_write:
        write_section(name, title, body)
    else:
        print(body)


if __name__ == "__main__":
    main()
