/**
 * PyTorch side of the infer suite: an eager forward (torch only, safetensors parsed by hand) of the same Llama-family
 * classifier folder, full-length batch prediction, printed as one JSON line. Run as
 * `python3 -c <script> --model <dir> --seq 512 --batch 4 [--threads n]`.
 */
export const TORCH_INFER_SCRIPT = `
import argparse
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--model", required=True)
for name, default in dict(seq=512, batch=4, runs=3, warmup=1, threads=0).items():
    p.add_argument(f"--{name}", type=int, default=default)
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)

cfg = json.load(open(f"{a.model}/config.json"))
with open(f"{a.model}/model.safetensors", "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
    body = f.read()
DT = {"F32": np.float32, "F16": np.float16}
W = {}
for key, info in header.items():
    if key == "__metadata__":
        continue
    lo, hi = info["data_offsets"]
    W[key] = torch.from_numpy(np.frombuffer(body[lo:hi], dtype=DT[info["dtype"]]).reshape(info["shape"]).astype(np.float32).copy())

H, L = cfg["hidden_size"], cfg["num_hidden_layers"]
nq, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
hd = cfg.get("head_dim") or H // nq
eps = cfg["rms_norm_eps"]
inv = cfg.get("rope_theta", 10000.0) ** (-torch.arange(0, hd, 2).float() / hd)
ang = torch.arange(a.seq).float()[:, None] * inv[None, :]
cos, sin = torch.cat([ang.cos()] * 2, -1), torch.cat([ang.sin()] * 2, -1)


def rms(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rope(x):
    x1, x2 = x[..., : hd // 2], x[..., hd // 2 :]
    return x * cos + torch.cat([-x2, x1], -1) * sin


causal = torch.full((a.seq, a.seq), float("-inf")).triu(1)


@torch.no_grad()
def forward(ids):
    b, s = ids.shape
    x = W["model.embed_tokens.weight"][ids]
    for i in range(L):
        p = f"model.layers.{i}."
        h = rms(x, W[p + "input_layernorm.weight"])
        q = rope(F.linear(h, W[p + "self_attn.q_proj.weight"]).view(b, s, nq, hd).transpose(1, 2))
        k = rope(F.linear(h, W[p + "self_attn.k_proj.weight"]).view(b, s, nkv, hd).transpose(1, 2))
        v = F.linear(h, W[p + "self_attn.v_proj.weight"]).view(b, s, nkv, hd).transpose(1, 2)
        k, v = k.repeat_interleave(nq // nkv, 1), v.repeat_interleave(nq // nkv, 1)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + causal, -1) @ v  # eager attention, as HF's "eager"
        x = x + F.linear(att.transpose(1, 2).reshape(b, s, nq * hd), W[p + "self_attn.o_proj.weight"])
        h = rms(x, W[p + "post_attention_layernorm.weight"])
        x = x + F.linear(F.silu(F.linear(h, W[p + "mlp.gate_proj.weight"])) * F.linear(h, W[p + "mlp.up_proj.weight"]), W[p + "mlp.down_proj.weight"])
    return F.linear(rms(x[:, -1], W["model.norm.weight"]), W["score.weight"])


ids = torch.randint(3, cfg["vocab_size"], (a.batch, a.seq))
times = []
for run in range(a.warmup + a.runs):
    t = time.perf_counter()
    forward(ids)
    if run >= a.warmup:
        times.append(time.perf_counter() - t)
median = sorted(times)[len(times) // 2]
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "tokensPerSecond": a.batch * a.seq / median, "runSeconds": times}))
`;
