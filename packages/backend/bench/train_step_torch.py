"""PyTorch side of `bench:train-step` (and, with --kv-heads 3 --target all-linear, of `litee bench train`): the same
Llama-style LoRA training step, printed as one JSON line.

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/train_step_torch.py --threads 2
OPENBLAS_NUM_THREADS=1 keeps PyTorch's GEMMs on one core (37 GFLOP/s for 2048x576x1536 on the 2-vCPU VM); with
OPENBLAS_NUM_THREADS=2 they use both (72 GFLOP/s), the stronger reference for a matmul-bound step: report both.
"""
import argparse
import json
import math
import resource
import time

import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
for name, default in dict(hidden=512, layers=4, heads=8, ffn=1376, vocab=32000, seq=256, batch=4, rank=16, classes=3, steps=10, warmup=2, threads=2).items():
    p.add_argument(f"--{name}", type=int, default=default)
p.add_argument("--kv-heads", type=int, default=0, help="grouped-query attention: k/v heads (0: as many as --heads)")
p.add_argument("--target", choices=["qkvo", "all-linear"], default="qkvo", help="LoRA on q/k/v/o, or on the MLP's three Linears too")
a = p.parse_args()
KV = a.kv_heads or a.heads
torch.set_num_threads(a.threads)
torch.manual_seed(0)
H, hd = a.hidden, a.hidden // a.heads


def frozen(*shape):
    return (torch.rand(*shape) * 2 - 1) / math.sqrt(shape[0])


class Lora(torch.nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.w = frozen(n_in, n_out)
        self.a = torch.nn.Parameter(frozen(n_in, a.rank))
        self.b = torch.nn.Parameter(torch.zeros(a.rank, n_out))
        self.scale = 2.0

    def forward(self, x):
        return x @ self.w + ((x @ self.a) * self.scale) @ self.b


def rms(x, eps=1e-6):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)


inv = 10000 ** (-torch.arange(0, hd, 2).float() / hd)
ang = torch.arange(a.seq).float()[:, None] * inv[None, :]
cos, sin = torch.cat([ang.cos()] * 2, -1), torch.cat([ang.sin()] * 2, -1)


def rope(x):
    x1, x2 = x[..., : hd // 2], x[..., hd // 2 :]
    return x * cos + torch.cat([-x2, x1], -1) * sin


class Frozen(torch.nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.w = frozen(n_in, n_out)

    def forward(self, x):
        return x @ self.w


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = Lora(H, H), Lora(H, KV * hd), Lora(H, KV * hd), Lora(H, H)
        mlp = Lora if a.target == "all-linear" else Frozen
        self.gate, self.up, self.down = mlp(H, a.ffn), mlp(H, a.ffn), mlp(a.ffn, H)

    def forward(self, h, mask):
        x = rms(h)
        B, S, _ = x.shape
        split = lambda t, n: t.view(B, S, n, hd).transpose(1, 2)
        # HF repeat_kv: query head i reads kv head i // (heads / kv)
        repeat = lambda t: t.repeat_interleave(a.heads // KV, dim=1)
        q, k, v = rope(split(self.q(x), a.heads)), repeat(rope(split(self.k(x), KV))), repeat(split(self.v(x), KV))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, -1) @ v
        h = h + self.o(att.transpose(1, 2).reshape(B, S, H))
        x = rms(h)
        return h + self.down(F.silu(self.gate(x)) * self.up(x))


embed = frozen(a.vocab, H)
layers = torch.nn.ModuleList(Layer() for _ in range(a.layers))
head = torch.nn.Parameter(frozen(H, a.classes))
params = [p for p in layers.parameters()] + [head]
opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
ids = torch.randint(0, a.vocab, (a.batch, a.seq))
labels = torch.randint(0, a.classes, (a.batch,))
mask = torch.full((a.seq, a.seq), -1e9).triu(1)

timed, cpu, losses = 0.0, 0.0, []
for i in range(a.warmup + a.steps):
    t, c = time.perf_counter(), time.process_time()
    h = embed[ids]
    for layer in layers:
        h = layer(h, mask)
    loss = F.cross_entropy(rms(h[:, -1]) @ head, labels)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    if i >= a.warmup:
        timed += time.perf_counter() - t
        cpu += time.process_time() - c
    losses.append(loss.item())
ms = timed / a.steps * 1000
print(json.dumps(dict(tokensPerSecond=a.batch * a.seq / (ms / 1000), msPerStep=ms, cpuMsPerStep=cpu / a.steps * 1000, peakRssMb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      firstLoss=losses[0], lastLoss=losses[-1], torch=torch.__version__, config=vars(a))))
