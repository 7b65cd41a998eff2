"""Speed of this book's attention against PyTorch's, on the CPU (or a GPU with --device cuda).

    .venv/bin/python benchmarks/attention_speed.py [--threads N] [--device cpu|cuda] [--save]

1. `scaled_dot_product_attention` (chapter 04) vs `F.scaled_dot_product_attention` restricted to its math
   backend (the same algorithm; the fused kernels are a different algorithm), causal mask, at several
   sequence lengths.
2. `MultiHeadAttention` (chapter 05) vs `nn.MultiheadAttention` with the same weights, self-attention with
   a key padding mask; ours with our own attention and with `fast=True` (PyTorch's fused kernel inside).
Times are medians of repeated forward passes under `torch.no_grad()`; ratio = ours / PyTorch's.
With --save the tables also go to nbs/results/speed_attention-DEVICE.csv (with a .json naming the hardware), which
chapter 05 and the docs' results page show.
"""
import argparse, json, os, platform, statistics, sys, time
from pathlib import Path
import pandas as pd
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

def hardware(device:str)->str:
    "The machine in words: GPU name, or CPU model and core count."
    if device.startswith('cuda'): return torch.cuda.get_device_name(device)
    if not os.path.exists('/proc/cpuinfo'): return f"{platform.processor()}, {os.cpu_count()} cores"
    from transformer_ground_up.scale import cpu_info  # chapter 11's reader of /proc/cpuinfo
    info = cpu_info()[0]
    gen = f" (CPU family {info['cpu family']}, model {info['model']})" if 'cpu family' in info and 'model' in info else ''  # "AMD EPYC" alone names no generation
    return f"{info.get('model name', platform.processor())}{gen}, {os.cpu_count()} cores"

def save(rows:list, name:str, device:str, threads:int):
    "Write benchmark rows to nbs/results/NAME-DEVICE.csv and what measured them to the .json beside it."
    out = Path(__file__).resolve().parent.parent/'nbs'/'results'
    f = out/f"{name}-{device.split(':')[0]}.csv"
    pd.DataFrame(rows).to_csv(f, index=False)
    meta = dict(hardware=hardware(device), device=device, threads=threads, torch=torch.__version__, date=time.strftime('%Y-%m-%d'),
                command='.venv/bin/python benchmarks/' + ' '.join([Path(sys.argv[0]).name] + sys.argv[1:]))
    f.with_suffix('.json').write_text(json.dumps(meta, indent=1) + '\n')
    print(f"saved {f} and {f.with_suffix('.json').name}")

@torch.no_grad()
def main(threads=None, device='cpu', batch=4, heads=8, d_head=64, save_to:bool=False):
    if threads: torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads; batch {batch}, {heads} heads x {d_head}")
    print("\n1. scaled dot-product attention, causal (ms)")
    print(f"{'len':>6} {'ours':>9} {'torch math':>11} {'ratio':>6}")
    rows = []
    for n in (64, 128, 256, 512, 1024):
        q, k, v = (torch.randn(batch, heads, n, d_head, device=device) for _ in range(3))
        m = causal_mask(n, device=device)
        ours = bench(lambda: scaled_dot_product_attention(q, k, v, m), device=device)
        with sdpa_kernel(SDPBackend.MATH): ref = bench(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=m), device=device)
        print(f"{n:>6} {ours*1e3:9.2f} {ref*1e3:11.2f} {ours/ref:6.2f}")
        rows.append(dict(benchmark='scaled dot-product attention, causal', len=n, ours_ms=ours * 1e3, reference='F.scaled_dot_product_attention (math)',
                         reference_ms=ref * 1e3, ratio=ours / ref))
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
        rows.append(dict(benchmark='multi-head self-attention, key padding', len=n, ours_ms=t_ours * 1e3, ours_fast_ms=t_fast * 1e3,
                         reference='nn.MultiheadAttention', reference_ms=t_ref * 1e3, ratio=t_ours / t_ref, fast_ratio=t_fast / t_ref))
    if save_to: save(rows, 'speed_attention', device, torch.get_num_threads())

def cli(main, name:str, doc:str, quick:str=None):
    "The command line every speed benchmark shares: --threads, --device, --save (and --quick where `quick` says what it cuts)."
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument('--threads', type=int, default=None); p.add_argument('--device', default='cpu')
    if quick: p.add_argument('--quick', action='store_true', help=quick)
    p.add_argument('--save', action='store_true', help=f'also write nbs/results/{name}-DEVICE.csv (+ .json)')
    a = p.parse_args()
    main(a.threads, a.device, **({'quick': a.quick} if quick else {}), save_to=a.save)

if __name__ == '__main__': cli(main, 'speed_attention', __doc__)
