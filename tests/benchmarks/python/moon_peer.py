"""Python PyTorch peer of the MOON stage-1 training step (issue #9, #16).

A re-implementation of model/ (ViT + 2x2 merger, Qwen2-style decoder with
GQA/RoPE/RMSNorm/SwiGLU, FIRE, MMF, <disc_emb>/<emb>) and of
training/trainer/StageOneLoss.cpp, with the C++ module's parameter names, so a
C++ checkpoint loads with load_state_dict(strict=True).

Two algorithms (issue #16: a fair comparison separates language from algorithm):
- "same": what the C++ trainer computes while training — one GEMM for the
  decoder's q/k/v and one for SwiGLU's gate/up (weights concatenated per step,
  the parameters stay separate), grouped-query heads folded into the query rows
  with the scale on q. test_peer_parity proves it matches the C++ losses.
- "plain": the textbook layers — separate q/k/v and gate/up GEMMs, broadcast
  grouped-query attention, the scale on the scores.
"""
import json
import math
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

PLAIN, SAME = "plain", "same"


class Unsupported(Exception):
    """A configuration the peer does not implement (so it cannot be compared)."""


# ---------------------------------------------------------------- safetensors
# Debian 12 packages no Python safetensors module; the format is a u64 header
# length, a JSON header and one data buffer (core/tensorio/Safetensors.h).
_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
           "BOOL": torch.bool}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: truncated (no header length)" % path)
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError("%s: header length %d beyond the file" % (path, n))
    header = json.loads(data[8:8 + n])
    body = memoryview(data)[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        flat = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        out[name] = flat.reshape(info["shape"]).clone()
    return out


# ---------------------------------------------------------------- layers
class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def additive_mask(allowed, dtype):
    return torch.where(allowed, torch.zeros((), dtype=dtype), torch.full((), torch.finfo(dtype).min, dtype=dtype))


def _mask_for_groups(mask, Hkv, g):
    m = mask
    while m.dim() < 4:
        m = m.unsqueeze(0)
    return m.unsqueeze(2) if m.shape[1] == 1 else m.reshape(m.shape[0], Hkv, g, m.shape[2], m.shape[3])


def attention(q, k, v, mask, algorithm):
    B, H, Lq, D = q.shape
    Hkv, Lk = k.shape[1], k.shape[2]
    g = H // Hkv
    if algorithm == SAME:
        # model/attention/Attention.cpp: heads folded into rows, no broadcast operand.
        qg = (q * (1.0 / math.sqrt(D))).reshape(B, Hkv, g * Lq, D)
        scores = torch.matmul(qg, k.transpose(-1, -2)).view(B, Hkv, g, Lq, Lk)
        if mask is not None:
            scores = scores + _mask_for_groups(mask, Hkv, g)
        w = torch.softmax(scores, -1)
        return torch.matmul(w.view(B, Hkv, g * Lq, Lk), v).reshape(B, H, Lq, D)
    qg = q.reshape(B, Hkv, g, Lq, D)
    scores = torch.matmul(qg, k.unsqueeze(2).transpose(-1, -2)) * (1.0 / math.sqrt(D))
    if mask is not None:
        scores = scores + _mask_for_groups(mask, Hkv, g)
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


def merge2x2(p, grid):
    N, _, C = p.shape
    h = grid // 2
    return p.reshape(N, h, 2, h, 2, C).permute(0, 1, 3, 2, 4, 5).reshape(N, h * h, 4 * C)


# ---------------------------------------------------------------- vision
class VisionBlock(nn.Module):
    def __init__(self, c, algorithm):
        super().__init__()
        self.heads, self.algorithm = c["heads"], algorithm
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
        a = attention(qkv[0], qkv[1], qkv[2], None, self.algorithm)
        out = x + self.proj(a.transpose(1, 2).reshape(N, T, C))
        return out + self.fc2(F.gelu(self.fc1(self.norm2(out))))


class Vision(nn.Module):
    def __init__(self, c, algorithm):
        super().__init__()
        self.patch = nn.Conv2d(3, c["dim"], c["patch_size"], stride=c["patch_size"])
        g = c["image_size"] // c["patch_size"]
        self.positions = nn.Parameter(torch.randn(1, g * g, c["dim"]) * 0.02)
        self.blocks = nn.ModuleList([VisionBlock(c, algorithm) for _ in range(c["depth"])])

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


# ---------------------------------------------------------------- language
class DecoderAttention(nn.Module):
    def __init__(self, c, algorithm):
        super().__init__()
        d, self.h, self.kv, self.algorithm = c["dim"], c["heads"], c["kv_heads"], algorithm
        self.hd = d // self.h
        self.q = nn.Linear(d, self.h * self.hd)
        self.k = nn.Linear(d, self.kv * self.hd)
        self.v = nn.Linear(d, self.kv * self.hd)
        self.o = nn.Linear(self.h * self.hd, d, bias=False)

    def forward(self, x, cos, sin, mask):
        B, L, _ = x.shape
        if self.algorithm == SAME:
            qkv = F.linear(x, torch.cat([self.q.weight, self.k.weight, self.v.weight]),
                           torch.cat([self.q.bias, self.k.bias, self.v.bias]))
            qd, kd = self.h * self.hd, self.kv * self.hd
            q, k, v = qkv.narrow(-1, 0, qd), qkv.narrow(-1, qd, kd), qkv.narrow(-1, qd + kd, kd)
        else:
            q, k, v = self.q(x), self.k(x), self.v(x)
        q = apply_rotary(q.reshape(B, L, self.h, self.hd).transpose(1, 2), cos, sin)
        k = apply_rotary(k.reshape(B, L, self.kv, self.hd).transpose(1, 2), cos, sin)
        v = v.reshape(B, L, self.kv, self.hd).transpose(1, 2)
        a = attention(q, k, v, mask, self.algorithm)
        return self.o(a.transpose(1, 2).reshape(B, L, self.h * self.hd))


class SwiGLU(nn.Module):
    def __init__(self, dim, hidden, algorithm):
        super().__init__()
        self.algorithm = algorithm
        self.gate = nn.Linear(dim, hidden, bias=False)
        self.up = nn.Linear(dim, hidden, bias=False)
        self.down = nn.Linear(hidden, dim, bias=False)

    def forward(self, x):
        if self.algorithm == SAME:
            gate, up = F.linear(x, torch.cat([self.gate.weight, self.up.weight])).chunk(2, -1)
            return self.down(F.silu(gate) * up)
        return self.down(F.silu(self.gate(x)) * self.up(x))


class DecoderLayer(nn.Module):
    def __init__(self, c, algorithm):
        super().__init__()
        self.attn_norm = RMSNorm(c["dim"], c["norm_eps"])
        self.attn = DecoderAttention(c, algorithm)
        self.mlp_norm = RMSNorm(c["dim"], c["norm_eps"])
        self.mlp = SwiGLU(c["dim"], c["ffn_dim"], algorithm)

    def forward(self, h, cos, sin, mask):
        out = h + self.attn(self.attn_norm(h), cos, sin, mask)
        return out + self.mlp(self.mlp_norm(out))


class Language(nn.Module):
    def __init__(self, c, algorithm):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c["vocab_size"], c["dim"])
        nn.init.normal_(self.embed.weight, 0.0, 0.02)
        self.layers = nn.ModuleList([DecoderLayer(c, algorithm) for _ in range(c["layers"])])
        self.norm = RMSNorm(c["dim"], c["norm_eps"])
        if c.get("input_norm", False):
            self.input_norm = RMSNorm(c["dim"], c["norm_eps"])
        if not c.get("tie_embeddings", True):
            self.head = nn.Linear(c["dim"], c["vocab_size"], bias=False)

    def forward(self, x, positions, allowed, injections):
        cos, sin = rotary(positions, self.c["dim"] // self.c["heads"], self.c["rope_theta"], x.dtype)
        mask = additive_mask(allowed, x.dtype)
        h = self.input_norm(x) if hasattr(self, "input_norm") else x
        for i, layer in enumerate(self.layers):
            if injections.get(i) is not None:
                h = h + injections[i]
            h = layer(h, cos, sin, mask)
        return self.norm(h)

    def logits(self, hidden):
        return self.head(hidden) if hasattr(self, "head") else torch.matmul(hidden, self.embed.weight.t())


# ---------------------------------------------------------------- fusion
class FireInjector(nn.Module):
    def __init__(self, merged, d):
        super().__init__()
        self.norm = nn.LayerNorm(merged, eps=1e-6)
        self.fc1 = nn.Linear(merged, d)
        self.fc2 = nn.Linear(d, d)
        self.alpha = nn.Parameter(torch.zeros(()))

    def forward(self, m):
        return torch.tanh(self.alpha) * self.fc2(F.gelu(self.fc1(self.norm(m))))


class Fire(nn.Module):
    def __init__(self, merged, d, layers):
        super().__init__()
        self.layers = nn.ModuleDict({str(l): FireInjector(merged, d) for l in layers})


FUSION_SETS = ("image", "title", "reasoning")


class Fusion(nn.Module):
    """model/fusion/ModalityFusion: per-set attention pooling, gated per head."""

    def __init__(self, d, heads, eps, used, algorithm):
        super().__init__()
        self.d, self.heads, self.used, self.algorithm = d, heads, used, algorithm
        for name, u in zip(FUSION_SETS, used):
            if u:
                setattr(self, name + "_norm", RMSNorm(d, eps))
                setattr(self, name + "_q", nn.Linear(d, d))
                setattr(self, name + "_k", nn.Linear(d, d))
                setattr(self, name + "_v", nn.Linear(d, d))
        self.gate = nn.Linear(d, 3 * heads)
        self.out = nn.Linear(3 * d, d)

    def forward(self, query, sets):
        B, H, Dh = query.shape[0], self.heads, self.d // self.heads
        heads, present = [], []
        for name, u, (tokens, mask) in zip(FUSION_SETS, self.used, sets):
            T = tokens.shape[1] if u and tokens is not None else 0
            if T == 0:
                heads.append(torch.zeros(B, H, Dh))
                present.append(torch.zeros(B, dtype=torch.bool))
                continue
            x = getattr(self, name + "_norm")(tokens)
            q = getattr(self, name + "_q")(query).view(B, H, 1, Dh)
            k = getattr(self, name + "_k")(x).view(B, T, H, Dh).transpose(1, 2)
            v = getattr(self, name + "_v")(x).view(B, T, H, Dh).transpose(1, 2)
            am = additive_mask(mask.view(B, 1, 1, T), query.dtype)
            heads.append(attention(q, k, v, am, self.algorithm).squeeze(2))
            present.append(mask.any(1))
        allowed = torch.stack(present, 1).unsqueeze(-1).expand(B, 3, H).reshape(B, 3 * H)
        logits = self.gate(query).view(B, 3 * H) + additive_mask(allowed, query.dtype)
        gates = (torch.softmax(logits, -1) * allowed).view(B, 3, H)
        weighted = torch.stack(heads, 1) * gates.unsqueeze(-1)
        return self.out(weighted.reshape(B, 3 * self.d))


# ---------------------------------------------------------------- model
SPECIAL = {"pad": 0, "bos": 1, "image_start": 3, "image_end": 4, "image_pad": 5, "think": 6, "think_end": 7,
           "emb": 8, "disc": 9}


class Moon(nn.Module):
    def __init__(self, cfg, algorithm=PLAIN, special=None):
        super().__init__()
        if cfg["vision"].get("feature_norm", "none") != "none":
            raise Unsupported("vision.feature_norm '%s'" % cfg["vision"]["feature_norm"])
        if cfg["language"].get("attention_sink", False):
            raise Unsupported("language.attention_sink")
        if not cfg.get("reasoning", True) or not cfg.get("disc_emb", True):
            raise Unsupported("reasoning and disc_emb must be on")
        self.cfg, self.sp = cfg, dict(special or SPECIAL)
        v, l = cfg["vision"], cfg["language"]
        self.grid = v["image_size"] // v["patch_size"]
        self.P = (self.grid // 2) ** 2
        self.vision = Vision(v, algorithm)
        self.merger = Merger(v, l["dim"])
        self.language = Language(l, algorithm)
        self.fire_layers = []
        if cfg["fire"]["enabled"]:
            self.fire_layers = [i for i in range(l["layers"]) if (i + 1) % cfg["fire"]["every"] == 0]
            self.fire = Fire(4 * v["dim"], l["dim"], self.fire_layers)
        if cfg["mmf"]["enabled"]:
            self.mmf = Fusion(l["dim"], cfg["mmf"]["heads"], l["norm_eps"], [True, True, True], algorithm)
        self.emb_head = nn.Linear(l["dim"], cfg["embed_dim"])
        self.disc_head = nn.Linear(l["dim"], cfg["embed_dim"])

    def fire_depth(self, layer):
        L, depth = self.cfg["language"]["layers"], self.cfg["vision"]["depth"]
        d = int(math.floor((layer + 1) / L * depth + 0.5)) - 1  # std::lround, not banker's
        return min(max(d, 0), depth - 1)

    def layout(self, b):
        """Left-padded prompt + right-padded [trace </think> <emb>], as model/sequence."""
        sp = self.sp
        B = b["has_image"].shape[0]
        has_image = b["has_image"].tolist()
        tl = b["title_len"].tolist()
        trl = [min(x, self.cfg["max_trace_tokens"]) for x in b["trace_len"].tolist()]
        titles = b["title_ids"].tolist()
        traces = b["trace_ids"].tolist()
        prompts, kinds, discs = [], [], []
        for r in range(B):
            ids = [sp["bos"]]
            kind = [0]
            if has_image[r]:
                ids += [sp["image_start"]] + [sp["image_pad"]] * self.P + [sp["image_end"]]
                kind += [0] + [1] * self.P + [0]
            ids += titles[r][:tl[r]]
            kind += [2] * tl[r]
            discs.append(len(ids))
            ids += [sp["disc"], sp["think"]]
            kind += [0, 0]
            prompts.append(ids)
            kinds.append(kind)
        Lp = max(len(p) for p in prompts)
        Lr = max(trl)
        L = Lp + Lr + 2
        ids = torch.full((B, L), sp["pad"], dtype=torch.long)
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
            ids[r, Lp + n] = sp["think_end"]
            ids[r, Lp + n + 1] = sp["emb"]
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
            for layer in self.fire_layers:
                delta = self.fire.layers[str(layer)](merge2x2(depths[self.fire_depth(layer)], self.grid))
                injections[layer] = torch.zeros_like(embeds).masked_scatter(pm, delta)
        causal = torch.ones(L, L, dtype=torch.bool).tril()
        allowed = causal.unsqueeze(0).unsqueeze(0) & lay["valid"].unsqueeze(1).unsqueeze(1)
        hidden = self.language(embeds, lay["positions"], allowed, injections)
        ar = torch.arange(B)
        emb_state = hidden[ar, lay["emb"]]
        out = {"disc": F.normalize(self.disc_head(hidden[ar, lay["disc"]]), dim=-1)}
        Lp, Lr = lay["Lp"], lay["Lr"]
        cols = torch.arange(Lr + 1).unsqueeze(0)
        ln = lay["trace_len"].unsqueeze(1)
        state = emb_state
        if hasattr(self, "mmf"):
            tlen = b["title_len"]
            Lt = int(tlen.max())
            if Lt > 0:
                tmask = torch.arange(Lt).unsqueeze(0) < tlen.unsqueeze(1)
                title = (self.language.embed(b["title_ids"][:, :Lt].masked_fill(~tmask, self.sp["pad"])), tmask)
            else:
                title = (torch.zeros(B, 0, D), torch.zeros(B, 0, dtype=torch.bool))
            reasoning = (hidden[:, Lp:Lp + Lr], (cols < ln)[:, :Lr])
            state = state + self.mmf(emb_state, [(image_tokens, image_mask), title, reasoning])
        out["emb"] = F.normalize(self.emb_head(state), dim=-1)
        if trace_logits:
            out["logits"] = self.language.logits(hidden[:, Lp - 1:Lp + Lr])
            out["mask"] = cols <= ln
            out["targets"] = lay["ids"][:, Lp:Lp + Lr + 1].masked_fill(~out["mask"], self.sp["pad"])
        return out


# ---------------------------------------------------------------- loss
def info_nce(q, c, scale, weights=None):
    sims = F.normalize(q, dim=-1) @ F.normalize(c, dim=-1).t()
    per = F.cross_entropy(sims * scale, torch.arange(q.shape[0]), reduction="none")
    return per.mean() if weights is None else (per * weights).sum() / weights.sum().clamp_min(1.1754944e-38)


DEFAULT_LOSS = {"weight_emb": 1.0, "weight_disc": 1.0, "weight_align": 0.5, "sft_weight": 0.1,
                "hard_negatives": True}


def stage_one_loss(model, log_scale, batch, temperature, weights=None):
    """training/trainer/StageOneLoss.cpp with the default (and benchmarked) terms."""
    w = dict(DEFAULT_LOSS, **(weights or {}))
    B = batch["q"]["has_image"].shape[0]
    q = model(batch["q"], w["sft_weight"] > 0)
    pos, neg = dict(batch["p"]), dict(batch["n"])
    pos["trace_len"] = torch.zeros_like(pos["trace_len"])
    neg["trace_len"] = torch.zeros_like(neg["trace_len"])
    views = [pos, neg]
    if w["weight_align"] > 0:
        views.append(dict(pos, title_len=torch.zeros_like(pos["title_len"])))
        views.append(dict(pos, has_image=torch.zeros_like(pos["has_image"]), images=torch.zeros_like(pos["images"])))
    c = model({k: torch.cat([v[k] for v in views]) for k in pos}, False)
    scale = log_scale.clamp(math.log(1 / temperature["max"]), math.log(1 / temperature["min"])).exp()
    part = lambda t, i: t[i * B:(i + 1) * B]
    cands = lambda key: torch.cat([part(c[key], 0), part(c[key], 1)]) if w["hard_negatives"] else part(c[key], 0)
    total = w["weight_emb"] * info_nce(q["emb"], cands("emb"), scale)
    total = total + w["weight_disc"] * info_nce(q["disc"], cands("disc"), scale)
    if w["weight_align"] > 0:
        both = (batch["p"]["has_image"] & (batch["p"]["title_len"] > 0)).float()
        ab = info_nce(part(c["emb"], 2), part(c["emb"], 3), scale, both)
        ba = info_nce(part(c["emb"], 3), part(c["emb"], 2), scale, both)
        total = total + w["weight_align"] * (0.5 * (ab + ba))
    if w["sft_weight"] > 0:
        V = q["logits"].shape[2]
        real = q["mask"]
        tgt = q["targets"].masked_fill(~real, 0)
        per_tok = F.cross_entropy(q["logits"].reshape(-1, V), tgt.reshape(-1), reduction="none").view_as(tgt)
        sft = (per_tok * real.float()).sum() / max(real.sum().item(), 1)
        total = total + w["sft_weight"] * sft
    return total


def make_optimizer(model, log_scale, optim):
    groups = [{"params": list(model.parameters()), "weight_decay": optim["weight_decay"]},
              {"params": [log_scale], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=optim["lr"], betas=tuple(optim["betas"]), eps=optim["eps"])


def train_step(model, log_scale, opt, batch, temperature, grad_clip, weights=None):
    """zero_grad, loss, backward, clip, AdamW — bench_train's trainStep. Returns the loss before the step."""
    opt.zero_grad()
    total = stage_one_loss(model, log_scale, batch, temperature, weights)
    total.backward()
    if grad_clip > 0:
        torch.nn.utils.clip_grad_norm_(list(model.parameters()) + [log_scale], grad_clip)
    opt.step()
    return total.item()
