"""Speed of this book's attention against PyTorch's, on the CPU (or a GPU with --device cuda).

    .venv/bin/python benchmarks/attention_speed.py [--threads N] [--device cpu|cuda]

1. `scaled_dot_product_attention` (chapter 04) vs `F.scaled_dot_product_attention` restricted to its math
   backend (the same algorithm; the fused kernels are a different algorithm), causal mask, at several
   sequence lengths.
2. `MultiHeadAttention` (chapter 05) vs `nn.MultiheadAttention` with the same weights, self-attention with
   a key padding mask; ours with our own attention and with `fast=True` (PyTorch's fused kernel inside).
Times are medians of repeated forward passes under `torch.no_grad()`; ratio = ours / PyTorch's.
"""
import argparse, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import sdpa_kernel, SDPBackend
from transformer_ground_up.core import causal_mask
from transformer_ground_up.self_attention import scaled_dot_product_attention
from transformer_ground_up.multihead import MultiHeadAttention

def bench(fn, reps=20, warmup=3, device='cpu'):
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    for _ in range(warmup): fn()
    ts = []
    for _ in range(reps):
        sync(); t = time.perf_counter(); fn(); sync(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

@torch.no_grad()
def main(threads=None, device='cpu', batch=4, heads=8, d_head=64):
    if threads: torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads; batch {batch}, {heads} heads x {d_head}")
    print("\n1. scaled dot-product attention, causal (ms)")
    print(f"{'len':>6} {'ours':>9} {'torch math':>11} {'ratio':>6}")
    for n in (64, 128, 256, 512, 1024):
        q, k, v = (torch.randn(batch, heads, n, d_head, device=device) for _ in range(3))
        m = causal_mask(n, device=device)
        ours = bench(lambda: scaled_dot_product_attention(q, k, v, m), device=device)
        with sdpa_kernel(SDPBackend.MATH): ref = bench(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=m), device=device)
        print(f"{n:>6} {ours*1e3:9.2f} {ref*1e3:11.2f} {ours/ref:6.2f}")
    print("\n2. multi-head self-attention with key padding (ms)")
    print(f"{'len':>6} {'ours':>9} {'ours fast':>10} {'nn.MHA':>9} {'ratio':>6} {'fast ratio':>10}")
    d = heads * d_head
    for n in (64, 128, 256, 512):
        mha = nn.MultiheadAttention(d, heads, batch_first=True).to(device).eval()
        ours, fast = MultiHeadAttention.from_torch(mha).eval(), MultiHeadAttention.from_torch(mha, fast=True).eval()
        x = torch.randn(batch, n, d, device=device)
        keep = torch.ones(batch, n, dtype=torch.bool, device=device); keep[0, n // 2:] = False
        t_ours = bench(lambda: ours(x, k_mask=keep), device=device)
        t_fast = bench(lambda: fast(x, k_mask=keep), device=device)
        t_ref = bench(lambda: mha(x, x, x, key_padding_mask=~keep, need_weights=False), device=device)
        print(f"{n:>6} {t_ours*1e3:9.2f} {t_fast*1e3:10.2f} {t_ref*1e3:9.2f} {t_ours/t_ref:6.2f} {t_fast/t_ref:10.2f}")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--threads', type=int, default=None); p.add_argument('--device', default='cpu')
    a = p.parse_args()
    main(a.threads, a.device)
