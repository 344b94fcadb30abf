#!/usr/bin/python3
"""The same-algorithm peer on the C++ trainer's own weights and batch (test_peer_parity).

  /usr/bin/python3 parity_step.py DIR

DIR holds what the C++ side wrote: setup.json (model config, special token ids,
optimiser, temperature, loss weights, steps), weights.safetensors (the model's
parameters by their C++ names, plus `logit_scale`) and batch.safetensors
(q./p./n. images, title_ids, trace_ids, has_image, title_len, trace_len).
Prints `params N` and `loss K VALUE` for the loss at the parameters after K
AdamW steps (K = 0..steps). Exit code 2 when the weights do not fit the peer.
"""
import json
import os
import sys

import torch
import torch.nn as nn

import moon_peer

FIELDS = ("images", "title_ids", "trace_ids", "has_image", "title_len", "trace_len")


def main():
    folder = sys.argv[1]
    setup = json.load(open(os.path.join(folder, "setup.json")))
    torch.set_num_threads(int(setup.get("threads", 1)))
    try:
        model = moon_peer.Moon(setup["model"], moon_peer.SAME, setup.get("special"))
    except moon_peer.Unsupported as e:
        print("unsupported configuration:", e, file=sys.stderr)
        return 2
    weights = moon_peer.read_safetensors(os.path.join(folder, "weights.safetensors"))
    log_scale = nn.Parameter(weights.pop("logit_scale").reshape(()))
    try:
        model.load_state_dict(weights, strict=True)
    except RuntimeError as e:  # names or shapes differ: not the same model
        print("weights do not fit the peer:", e, file=sys.stderr)
        return 2
    model.train()
    print("params", sum(p.numel() for p in model.parameters()) + log_scale.numel())
    raw = moon_peer.read_safetensors(os.path.join(folder, "batch.safetensors"))
    batch = {side: {f: raw[side + "." + f] for f in FIELDS} for side in ("q", "p", "n")}
    opt = moon_peer.make_optimizer(model, log_scale, setup["optim"])
    temperature, clip, terms = setup["temperature"], setup["optim"]["grad_clip"], setup["loss"]
    for k in range(int(setup["steps"])):
        print("loss", k, repr(moon_peer.train_step(model, log_scale, opt, batch, temperature, clip, terms)))
    # With autograd on, as the C++ side: its layers take the training path (fused GEMMs) only then.
    final = moon_peer.stage_one_loss(model, log_scale, batch, temperature, terms).item()
    print("loss", int(setup["steps"]), repr(final))
    return 0


if __name__ == "__main__":
    sys.exit(main())
