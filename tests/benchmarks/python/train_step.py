#!/usr/bin/python3
"""Speed of the Python PyTorch peer's stage-1 training step (issue #9 benchmark 1, #16).

bench_train runs it (Debian's python3-torch: the same LibTorch 1.13 underneath):

  /usr/bin/python3 train_step.py --config model.json --algorithm same --batch 16 --trace 32 --threads 2 --steps 4

prints `params N` and `samples_per_s X` (median over --reps timed blocks).
--algorithm same: what the C++ trainer computes (fused GEMMs, folded heads;
test_peer_parity proves the losses agree); plain: textbook layers (moon_peer.py).
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn

import moon_peer


def products(cfg, B, shift, candidates, trace):
    """tests/benchmarks/SyntheticBatch.h's recipe (same shapes, not the same random values)."""
    S, V = cfg["vision"]["image_size"], cfg["language"]["vocab_size"]
    p = {"images": torch.rand(B, 3, S, S) * 2 - 1, "title_ids": torch.randint(10, V, (B, 16)),
         "trace_ids": torch.randint(10, V, (B, max(trace, 1)))}
    has_image, tl, trl = [], [], []
    for b in range(B):
        m = 2 if candidates else b % 3
        has_image.append(m != 0)
        if m == 0:
            p["images"][b].zero_()
        tl.append(12 + (b + shift) % 5 if m != 1 else 0)
        trl.append(trace if candidates else max(trace - b % 9, 0))
    p["has_image"] = torch.tensor(has_image)
    p["title_len"] = torch.tensor(tl)
    p["trace_len"] = torch.tensor(trl)
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--algorithm", choices=[moon_peer.PLAIN, moon_peer.SAME], default=moon_peer.SAME)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--trace", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = json.load(open(a.config))
    torch.manual_seed(0)
    try:
        model = moon_peer.Moon(cfg, a.algorithm)
    except moon_peer.Unsupported as e:
        print("unsupported configuration:", e, file=sys.stderr)
        return 2
    model.train()
    t = cfg.get("temperature", {"init": 0.05, "min": 0.01, "max": 1.0})
    log_scale = nn.Parameter(torch.tensor(math.log(1 / t["init"])))
    opt = moon_peer.make_optimizer(model, log_scale,
                                   {"lr": a.lr, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.01})
    print("params", sum(p.numel() for p in model.parameters()) + 1)
    torch.manual_seed(1234)
    batch = {"q": products(cfg, a.batch, 0, False, a.trace), "p": products(cfg, a.batch, 1, True, a.trace),
             "n": products(cfg, a.batch, 1, True, a.trace), "modality": torch.arange(a.batch) % 3}
    step = lambda: moon_peer.train_step(model, log_scale, opt, batch, t, 1.0)
    step()  # warm-up, as in bench_train
    rates = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step()
        rates.append(a.batch * a.steps / (time.perf_counter() - t0))
    rates.sort()
    print("samples_per_s", rates[len(rates) // 2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
