#!/usr/bin/python3
"""Python PyTorch peer of the MOON stage-1 training step (issue #9, benchmark 1).

A faithful re-implementation of model/ (ViT + 2x2 merger, Qwen2-style decoder
with GQA/RoPE/RMSNorm/SwiGLU, FIRE, MMF, <disc_emb>/<emb>) and of
training/trainer/StageOneLoss.cpp (0.1 SFT + InfoNCE emb/disc + 0.5 align),
with the same synthetic batch recipe as tests/benchmarks/SyntheticBatch.h.
bench_train runs it (Debian's python3-torch: same LibTorch 1.13 underneath):

  /usr/bin/python3 train_step.py --config model.json --batch 16 --trace 32 --threads 2 --steps 4

prints `params N` and `samples_per_s X` (median over --reps timed blocks).
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, IMG_START, IMG_END, IMG_PAD, THINK, THINK_END, EMB, DISC = 0, 1, 3, 4, 5, 6, 7, 8, 9


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def additive_mask(allowed, dtype):
    return torch.where(allowed, torch.zeros((), dtype=dtype), torch.full((), torch.finfo(dtype).min, dtype=dtype))


def attention(q, k, v, mask):
    B, H, Lq, D = q.shape
    Hkv, Lk = k.shape[1], k.shape[2]
    g = H // Hkv
    qg = q.reshape(B, Hkv, g, Lq, D)
    scores = torch.matmul(qg, k.unsqueeze(2).transpose(-1, -2)) * (1.0 / math.sqrt(D))
    if mask is not None:
        m = mask
        while m.dim() < 4:
            m = m.unsqueeze(0)
        m = m.unsqueeze(2) if m.shape[1] == 1 else m.reshape(m.shape[0], Hkv, g, m.shape[2], m.shape[3])
        scores = scores + m
    w = torch.softmax(scores, -1)
    return torch.matmul(w, v.unsqueeze(2)).reshape(B, H, Lq, D)


def rotary(positions, head_dim, theta, dtype):
    inv = torch.pow(theta, -torch.arange(0, head_dim, 2, dtype=torch.double) / head_dim)
    ang = positions.double().unsqueeze(-1) * inv
    full = torch.cat([ang, ang], -1).unsqueeze(1)
    return full.cos().to(dtype), full.sin().to(dtype)


def apply_rotary(x, cos, sin):
    half = x.shape[-1] // 2
    rot = torch.cat([-x[..., half:], x[..., :half]], -1)
    return x * cos + rot * sin


class VisionBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c["heads"]
        d = c["dim"]
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        self.fc1 = nn.Linear(d, c["mlp_dim"])
        self.fc2 = nn.Linear(c["mlp_dim"], d)

    def forward(self, x):
        N, T, C = x.shape
        qkv = self.qkv(self.norm1(x)).view(N, T, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        a = attention(qkv[0], qkv[1], qkv[2], None)
        out = x + self.proj(a.transpose(1, 2).reshape(N, T, C))
        return out + self.fc2(F.gelu(self.fc1(self.norm2(out))))


def merge2x2(p, grid):
    N, _, C = p.shape
    h = grid // 2
    return p.reshape(N, h, 2, h, 2, C).permute(0, 1, 3, 2, 4, 5).reshape(N, h * h, 4 * C)


class Vision(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.patch = nn.Conv2d(3, c["dim"], c["patch_size"], stride=c["patch_size"])
        g = c["image_size"] // c["patch_size"]
        self.positions = nn.Parameter(torch.randn(1, g * g, c["dim"]) * 0.02)
        self.blocks = nn.ModuleList([VisionBlock(c) for _ in range(c["depth"])])

    def forward(self, images):
        x = self.patch(images).flatten(2).transpose(1, 2) + self.positions
        depths = []
        for b in self.blocks:
            x = b(x)
            depths.append(x)
        return depths


class Merger(nn.Module):
    def __init__(self, c, lm_dim):
        super().__init__()
        self.grid = c["image_size"] // c["patch_size"]
        self.norm = nn.LayerNorm(c["dim"], eps=1e-6)
        self.fc1 = nn.Linear(4 * c["dim"], 4 * c["dim"])
        self.fc2 = nn.Linear(4 * c["dim"], lm_dim)

    def forward(self, p):
        return self.fc2(F.gelu(self.fc1(merge2x2(self.norm(p), self.grid))))


class DecoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, self.h, self.kv = c["dim"], c["heads"], c["kv_heads"]
        self.hd = d // self.h
        self.attn_norm = RMSNorm(d, c["norm_eps"])
        self.q = nn.Linear(d, self.h * self.hd)
        self.k = nn.Linear(d, self.kv * self.hd)
        self.v = nn.Linear(d, self.kv * self.hd)
        self.o = nn.Linear(self.h * self.hd, d, bias=False)
        self.mlp_norm = RMSNorm(d, c["norm_eps"])
        self.gate = nn.Linear(d, c["ffn_dim"], bias=False)
        self.up = nn.Linear(d, c["ffn_dim"], bias=False)
        self.down = nn.Linear(c["ffn_dim"], d, bias=False)

    def forward(self, h, cos, sin, mask):
        B, L, _ = h.shape
        x = self.attn_norm(h)
        q = apply_rotary(self.q(x).view(B, L, self.h, self.hd).transpose(1, 2), cos, sin)
        k = apply_rotary(self.k(x).view(B, L, self.kv, self.hd).transpose(1, 2), cos, sin)
        v = self.v(x).view(B, L, self.kv, self.hd).transpose(1, 2)
        a = attention(q, k, v, mask)
        out = h + self.o(a.transpose(1, 2).reshape(B, L, self.h * self.hd))
        x = self.mlp_norm(out)
        return out + self.down(F.silu(self.gate(x)) * self.up(x))


class Language(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c["vocab_size"], c["dim"])
        nn.init.normal_(self.embed.weight, 0.0, 0.02)
        self.layers = nn.ModuleList([DecoderLayer(c) for _ in range(c["layers"])])
        self.norm = RMSNorm(c["dim"], c["norm_eps"])
        assert c["tie_embeddings"]

    def forward(self, x, positions, allowed, injections):
        cos, sin = rotary(positions, self.c["dim"] // self.c["heads"], self.c["rope_theta"], x.dtype)
        mask = additive_mask(allowed, x.dtype)
        h = x
        for i, layer in enumerate(self.layers):
            if injections.get(i) is not None:
                h = h + injections[i]
            h = layer(h, cos, sin, mask)
        return self.norm(h)

    def logits(self, hidden):
        return torch.matmul(hidden, self.embed.weight.t())


class FireInjector(nn.Module):
    def __init__(self, merged, d):
        super().__init__()
        self.norm = nn.LayerNorm(merged, eps=1e-6)
        self.fc1 = nn.Linear(merged, d)
        self.fc2 = nn.Linear(d, d)
        self.alpha = nn.Parameter(torch.zeros(()))

    def forward(self, m):
        return torch.tanh(self.alpha) * self.fc2(F.gelu(self.fc1(self.norm(m))))


class Fusion(nn.Module):
    def __init__(self, d, heads, eps, used):
        super().__init__()
        self.d, self.heads, self.used = d, heads, used
        self.norms = nn.ModuleList([RMSNorm(d, eps) if u else nn.Identity() for u in used])
        self.qs = nn.ModuleList([nn.Linear(d, d) if u else nn.Identity() for u in used])
        self.ks = nn.ModuleList([nn.Linear(d, d) if u else nn.Identity() for u in used])
        self.vs = nn.ModuleList([nn.Linear(d, d) if u else nn.Identity() for u in used])
        self.gate = nn.Linear(d, 3 * heads)
        self.out = nn.Linear(3 * d, d)

    def forward(self, query, sets):
        B, H, Dh = query.shape[0], self.heads, self.d // self.heads
        heads, present = [], []
        for m, (tokens, mask) in enumerate(sets):
            T = tokens.shape[1] if self.used[m] and tokens is not None else 0
            if T == 0:
                heads.append(torch.zeros(B, H, Dh))
                present.append(torch.zeros(B, dtype=torch.bool))
                continue
            x = self.norms[m](tokens)
            q = self.qs[m](query).view(B, H, 1, Dh)
            k = self.ks[m](x).view(B, T, H, Dh).transpose(1, 2)
            v = self.vs[m](x).view(B, T, H, Dh).transpose(1, 2)
            am = additive_mask(mask.view(B, 1, 1, T), query.dtype)
            heads.append(attention(q, k, v, am).squeeze(2))
            present.append(mask.any(1))
        allowed = torch.stack(present, 1).unsqueeze(-1).expand(B, 3, H).reshape(B, 3 * H)
        logits = self.gate(query).view(B, 3 * H) + additive_mask(allowed, query.dtype)
        gates = (torch.softmax(logits, -1) * allowed).view(B, 3, H)
        weighted = torch.stack(heads, 1) * gates.unsqueeze(-1)
        return self.out(weighted.reshape(B, 3 * self.d))


class Moon(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        v, l = cfg["vision"], cfg["language"]
        self.grid = v["image_size"] // v["patch_size"]
        self.P = (self.grid // 2) ** 2
        self.vision = Vision(v)
        self.merger = Merger(v, l["dim"])
        self.language = Language(l)
        self.fire_layers = []
        if cfg["fire"]["enabled"]:
            self.fire_layers = [i for i in range(l["layers"]) if (i + 1) % cfg["fire"]["every"] == 0]
        self.fire = nn.ModuleList([FireInjector(4 * v["dim"], l["dim"]) for _ in self.fire_layers])
        self.mmf = Fusion(l["dim"], cfg["mmf"]["heads"], l["norm_eps"], [True, True, cfg["reasoning"]]) \
            if cfg["mmf"]["enabled"] else None
        self.emb_head = nn.Linear(l["dim"], cfg["embed_dim"])
        self.disc_head = nn.Linear(l["dim"], cfg["embed_dim"]) if cfg["disc_emb"] else None

    def fire_depth(self, layer):
        L, depth = self.cfg["language"]["layers"], self.cfg["vision"]["depth"]
        d = int(round((layer + 1) / L * depth)) - 1
        return min(max(d, 0), depth - 1)

    def layout(self, b):
        """Left-padded prompt + right-padded [trace </think> <emb>], as model/sequence."""
        B = b["has_image"].shape[0]
        has_image = b["has_image"].tolist()
        tl = b["title_len"].tolist()
        trl = [min(x, self.cfg["max_trace_tokens"]) for x in b["trace_len"].tolist()]
        titles = b["title_ids"].tolist()
        traces = b["trace_ids"].tolist()
        prompts, kinds, discs = [], [], []
        for r in range(B):
            ids = [BOS]
            kind = [0]
            if has_image[r]:
                ids += [IMG_START] + [IMG_PAD] * self.P + [IMG_END]
                kind += [0] + [1] * self.P + [0]
            ids += titles[r][:tl[r]]
            kind += [2] * tl[r]
            discs.append(len(ids))
            ids += [DISC, THINK]
            kind += [0, 0]
            prompts.append(ids)
            kinds.append(kind)
        Lp = max(len(p) for p in prompts)
        Lr = max(trl)
        L = Lp + Lr + 2
        ids = torch.full((B, L), PAD, dtype=torch.long)
        valid = torch.zeros(B, L, dtype=torch.bool)
        patch = torch.zeros(B, L, dtype=torch.bool)
        emb_col, disc_col = [], []
        for r in range(B):
            off = Lp - len(prompts[r])
            ids[r, off:Lp] = torch.tensor(prompts[r])
            valid[r, off:Lp] = True
            patch[r, off:Lp] = torch.tensor(kinds[r]) == 1
            disc_col.append(off + discs[r])
            n = trl[r]
            if n:
                ids[r, Lp:Lp + n] = torch.tensor(traces[r][:n])
            ids[r, Lp + n] = THINK_END
            ids[r, Lp + n + 1] = EMB
            valid[r, Lp:Lp + n + 2] = True
            emb_col.append(Lp + n + 1)
        positions = (valid.long().cumsum(1) - 1).clamp_min(0)
        image_rows = torch.tensor([r for r in range(B) if has_image[r]], dtype=torch.long)
        return dict(ids=ids, valid=valid, positions=positions, patch=patch, emb=torch.tensor(emb_col),
                    disc=torch.tensor(disc_col), image_rows=image_rows, trace_len=torch.tensor(trl), Lp=Lp, Lr=Lr)

    def forward(self, b, trace_logits):
        lay = self.layout(b)
        B, L = lay["ids"].shape
        D = self.cfg["language"]["dim"]
        embeds = self.language.embed(lay["ids"])
        image_mask = torch.zeros(B, self.P, dtype=torch.bool)
        image_tokens = torch.zeros(B, self.P, D)
        injections = {}
        rows = lay["image_rows"]
        if rows.numel():
            depths = self.vision(b["images"].index_select(0, rows))
            merged = self.merger(depths[-1])
            pm = lay["patch"].unsqueeze(-1)
            embeds = embeds.masked_scatter(pm, merged)
            image_tokens = image_tokens.index_copy(0, rows, merged)
            image_mask.index_fill_(0, rows, True)
            for inj, layer in zip(self.fire, self.fire_layers):
                delta = inj(merge2x2(depths[self.fire_depth(layer)], self.grid))
                injections[layer] = torch.zeros_like(embeds).masked_scatter(pm, delta)
        causal = torch.ones(L, L, dtype=torch.bool).tril()
        allowed = causal.unsqueeze(0).unsqueeze(0) & lay["valid"].unsqueeze(1).unsqueeze(1)
        hidden = self.language(embeds, lay["positions"], allowed, injections)
        ar = torch.arange(B)
        emb_state = hidden[ar, lay["emb"]]
        out = {}
        if self.disc_head is not None:
            out["disc"] = F.normalize(self.disc_head(hidden[ar, lay["disc"]]), dim=-1)
        Lp, Lr = lay["Lp"], lay["Lr"]
        cols = torch.arange(Lr + 1).unsqueeze(0)
        ln = lay["trace_len"].unsqueeze(1)
        state = emb_state
        if self.mmf is not None:
            tlen = b["title_len"]
            Lt = int(tlen.max())
            if Lt > 0:
                tmask = torch.arange(Lt).unsqueeze(0) < tlen.unsqueeze(1)
                title = (self.language.embed(b["title_ids"][:, :Lt].masked_fill(~tmask, PAD)), tmask)
            else:
                title = (torch.zeros(B, 0, D), torch.zeros(B, 0, dtype=torch.bool))
            reasoning = (hidden[:, Lp:Lp + Lr], (cols < ln)[:, :Lr])
            state = state + self.mmf(emb_state, [(image_tokens, image_mask), title, reasoning])
        out["emb"] = F.normalize(self.emb_head(state), dim=-1)
        if trace_logits:
            out["logits"] = self.language.logits(hidden[:, Lp - 1:Lp + Lr])
            out["mask"] = cols <= ln
            out["targets"] = lay["ids"][:, Lp:Lp + Lr + 1].masked_fill(~out["mask"], PAD)
        return out


def info_nce(q, c, scale, weights=None):
    sims = F.normalize(q, dim=-1) @ F.normalize(c, dim=-1).t()
    logits = sims * scale
    target = torch.arange(q.shape[0])
    per = F.cross_entropy(logits, target, reduction="none")
    loss = per.mean() if weights is None else (per * weights).sum() / weights.sum().clamp_min(1.1754944e-38)
    with torch.no_grad():  # the statistics the C++ loss reports
        s = sims.detach()
        acc = logits.detach().argmax(1).eq(target).double().mean().item()
        pos = s.gather(1, target.unsqueeze(1)).squeeze(1)
        stats = (acc, pos.mean().item(), ((s.sum(1) - pos) / max(s.shape[1] - 1, 1)).mean().item())
    return loss, per.detach(), stats


def stage_one_loss(model, log_scale, batch, tmin, tmax):
    B = batch["q"]["has_image"].shape[0]
    q = model(batch["q"], True)
    pos, neg = dict(batch["p"]), dict(batch["n"])
    pos["trace_len"] = torch.zeros_like(pos["trace_len"])
    neg["trace_len"] = torch.zeros_like(neg["trace_len"])
    img = dict(pos, title_len=torch.zeros_like(pos["title_len"]))
    txt = dict(pos, has_image=torch.zeros_like(pos["has_image"]), images=torch.zeros_like(pos["images"]))
    views = [pos, neg, img, txt]
    cand = {k: torch.cat([v[k] for v in views]) for k in pos}
    c = model(cand, False)
    scale = log_scale.clamp(math.log(1 / tmax), math.log(1 / tmin)).exp()
    part = lambda t, i: t[i * B:(i + 1) * B]
    pe, ne = part(c["emb"], 0), part(c["emb"], 1)
    total = torch.zeros(())
    loss, per, _ = info_nce(q["emb"], torch.cat([pe, ne]), scale)
    total = total + loss
    numbers = {"loss_emb": loss.item()}
    for m in range(3):
        rows = batch["modality"] == m
        if rows.any().item():
            numbers["loss_emb_%d" % m] = per.masked_select(rows).mean().item()
    loss_d, _, _ = info_nce(q["disc"], torch.cat([part(c["disc"], 0), part(c["disc"], 1)]), scale)
    total = total + loss_d
    both = (batch["p"]["has_image"] & (batch["p"]["title_len"] > 0)).float()
    ab, _, _ = info_nce(part(c["emb"], 2), part(c["emb"], 3), scale, both)
    ba, _, _ = info_nce(part(c["emb"], 3), part(c["emb"], 2), scale, both)
    total = total + 0.5 * (0.5 * (ab + ba))
    V = q["logits"].shape[2]
    real = q["mask"]
    tgt = q["targets"].masked_fill(~real, 0)
    per_tok = F.cross_entropy(q["logits"].reshape(-1, V), tgt.reshape(-1), reduction="none").view_as(tgt)
    tokens = real.sum().item()
    sft = (per_tok * real.float()).sum() / max(tokens, 1)
    with torch.no_grad():
        numbers["acc_sft"] = q["logits"].detach().argmax(2).eq(tgt).logical_and(real).sum().item() / max(tokens, 1)
    total = total + 0.1 * sft
    return total, numbers


def products(cfg, B, shift, candidates, trace):
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
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--trace", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--reps", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = json.load(open(a.config))
    torch.manual_seed(0)
    model = Moon(cfg)
    model.train()
    t = cfg.get("temperature", {"init": 0.05, "min": 0.01, "max": 1.0})
    log_scale = nn.Parameter(torch.tensor(math.log(1 / t["init"])))
    net = list(model.parameters())
    opt = torch.optim.AdamW([{"params": net, "weight_decay": 0.01}, {"params": [log_scale], "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    params = net + [log_scale]
    print("params", sum(p.numel() for p in params))
    torch.manual_seed(1234)
    batch = {"q": products(cfg, a.batch, 0, False, a.trace), "p": products(cfg, a.batch, 1, True, a.trace),
             "n": products(cfg, a.batch, 1, True, a.trace), "modality": torch.arange(a.batch) % 3}

    def step():
        opt.zero_grad()
        total, _ = stage_one_loss(model, log_scale, batch, t["min"], t["max"])
        total.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()

    step()  # warm-up, as in bench_train
    rates = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step()
        rates.append(a.batch * a.steps / (time.perf_counter() - t0))
    rates.sort()
    print("samples_per_s", rates[len(rates) // 2])


if __name__ == "__main__":
    main()
