"""CIFAR-10 CNN (chapter 14): test accuracy and training time of the notebook's own recipe.

The solution notebook's ``build_cnn``, ``random_crop_flip`` and ``train`` (SGD + Nesterov, one-cycle,
label smoothing), run in full mode: all 50,000 training images, evaluated on the 10,000 test images.
The model is channels-last, wrapped in ``utils.mixed_precision`` (bfloat16 forward passes where the CPU
has it natively, or on CUDA); on CUDA the network is wider and the batches larger.

    python bench/cifar10_cnn.py                                  # the headline CPU run
    python bench/cifar10_cnn.py --limit 10000 --width 16 --epochs 12 --compare-augmentation
    python bench/cifar10_cnn.py --device cuda                    # where a GPU is available

Training time excludes data loading and evaluation. Prints and records accuracy, wall time,
images/s and the machine.
"""

from __future__ import annotations

import argparse
import time

import torch

import utils

from notebook_answers import load_answers
from report import write_section

SETUP = (
    "import math\nimport numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
    "import utils\n"
)
DEFAULTS = {
    "cpu": {"width": 32, "batch": 512, "lr": 0.2, "epochs": 22},
    "cuda": {"width": 64, "batch": 1024, "lr": 0.4, "epochs": 22},
}


def run(ch14, data, args, device, augment: bool) -> dict:
    x, y, xt, yt = data
    torch.manual_seed(args.seed)
    model = utils.mixed_precision(ch14["build_cnn"](args.width).to(device, memory_format=torch.channels_last))
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    history = ch14["train"](
        model,
        x,
        y,
        args.epochs,
        batch_size=args.batch,
        lr=args.lr,
        label_smoothing=args.label_smoothing,
        augment=ch14["random_crop_flip"] if augment else None,
        seed=args.seed,
    )
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    acc = utils.evaluate_accuracy(model, xt, yt)
    print(
        f"augment={augment}: test accuracy {acc:.4f}, {seconds:.1f} s of training, "
        f"loss per epoch {[round(v, 3) for v in history['loss']]}",
        flush=True,
    )
    return {
        "acc": acc,
        "seconds": seconds,
        "images_per_s": args.epochs * len(x) / seconds,
        "final_loss": history["loss"][-1],
        "params": sum(p.numel() for p in model.parameters()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--width", type=int)
    parser.add_argument("--batch", type=int)
    parser.add_argument("--lr", type=float)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--label-smoothing", type=float, default=0.2)
    parser.add_argument("--limit", type=int, help="train on the first LIMIT images of a fixed shuffle")
    parser.add_argument("--compare-augmentation", action="store_true", help="also train without random_crop_flip")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for key, value in DEFAULTS[args.device].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    device = utils.get_device(args.device)
    ch14 = load_answers("ch14_cifar10_cnn", SETUP)

    start = time.perf_counter()
    x, y = utils.load_cifar10(train=True, normalize=True, limit=args.limit)
    xt, yt = utils.load_cifar10(train=False, normalize=True)
    load_seconds = time.perf_counter() - start
    data = tuple(t.to(device) for t in (x, y, xt, yt))
    if device.type == "cuda":
        where = f"{torch.cuda.get_device_name()}, bfloat16 forward passes: {torch.cuda.is_bf16_supported()}"
    else:
        where = f"CPU, bfloat16 forward passes: {utils.precision.has_fast_bfloat16()}"

    rows = []
    for augment in [True, False] if args.compare_augmentation else [True]:
        r = run(ch14, data, args, device, augment)
        label = "random_crop_flip (padding 4)" if augment else "none"
        rows.append(
            f"| {label} | {r['acc']:.4f} | {r['final_loss']:.3f} | {r['seconds']:.0f} s ({r['seconds'] / 60:.1f} min) | "
            f"{r['images_per_s']:,.0f} |"
        )
    body = (
        f"Recipe: the solution notebook's `build_cnn({args.width})` ({r['params']:,} parameters, channels-last), `train` with "
        f"SGD + Nesterov momentum, weight decay 5e-4, one-cycle schedule peaking at lr {args.lr:g}, label smoothing "
        f"{args.label_smoothing:g}, batch {args.batch}, {args.epochs} epochs, on "
        f"{len(x):,} training images; test on the 10,000 test images; seed {args.seed}. Device: {where}. "
        f"Training time excludes data loading ({load_seconds:.0f} s, JPEG decoding cached in `utils.cache_dir()`) and evaluation.\n\n"
        "| augmentation | test accuracy | final training loss | training time | images/s |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
    )
    name = (
        "cifar10_cnn"
        + ("_cuda" if args.device == "cuda" else "")
        + ("_augmentation" if args.compare_augmentation else "")
    )
    title = f"CIFAR-10 CNN on {'the CPU' if args.device == 'cpu' else 'a GPU'} (chapter 14)" + (
        ": with and without augmentation" if args.compare_augmentation else ""
    )
    write_section(name, title, body)


if __name__ == "__main__":
    main()
