"""Speed of chapter 07's GPT: generation with and without the KV cache, and the forward pass against Hugging Face.

    .venv/bin/python benchmarks/gpt_speed.py [--threads N] [--device cpu|cuda] [--quick] [--save]

1. Generation throughput (new tokens per second) for 256 new tokens after a 16-token prompt, batch 1, greedy,
   with `use_cache=True` (one new token per step) and `use_cache=False` (the whole sequence every step), for a
   GPT of nanoGPT's "baby" size (6 blocks, width 384, 6 heads) and the character-level size of chapter 07.
2. Forward pass of our GPT-2 (`gpt_from_hf`) against `GPT2LMHeadModel` with the same random GPT-2-small
   weights (124M), under `torch.no_grad()`; ours with chapter 05's attention (`fast=False`) and with PyTorch's
   fused kernel (`fast=True`; Hugging Face also uses `F.scaled_dot_product_attention` by default).
Times are medians of repeated runs; ratio = ours / theirs. With --save the tables also go to
nbs/results/speed_gpt-DEVICE.csv (with a .json naming the hardware), which chapter 07 and the results page show.
"""
import torch
from transformers import GPT2Config, GPT2LMHeadModel
from transformer_ground_up.core import seeded
from transformer_ground_up.gpt import GPT, gpt_from_hf, generate
from attention_speed import bench, save, cli  # the same timer (median of repeated runs) and the same results files

@torch.no_grad()
def main(threads=None, device='cpu', quick=False, save_to=False):
    if threads: torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads")
    print("\n1. generation, 16-token prompt + 256 new tokens, batch 1, greedy (new tokens/s)")
    print(f"{'model':>28} {'cached':>9} {'uncached':>9} {'speed-up':>9}")
    new, rows = 256, []
    for name, kw in (('baby GPT (6x384, 10.7M)', dict(d_model=384, n_heads=6, layers=6)),
                     ('char GPT (4x128, 0.8M)', dict(d_model=128, n_heads=4, layers=4))):
        with seeded(0): m = GPT(vocab_size=100, n_ctx=512, dropout=0., **kw).to(device).eval()
        p = list(range(4, 20))
        tc = bench(lambda: generate(m, p, new, temperature=0, use_cache=True), reps=3, warmup=1, device=device)
        tu = bench(lambda: generate(m, p, new, temperature=0, use_cache=False), reps=1 if quick else 3, warmup=0, device=device)
        print(f"{name:>28} {new/tc:9.0f} {new/tu:9.0f} {tu/tc:8.1f}x")
        rows.append(dict(benchmark='generation, 16-token prompt + 256 new tokens, batch 1, greedy', model=name,
                         cached_tokens_per_s=new / tc, uncached_tokens_per_s=new / tu, speedup=tu / tc))
    print("\n2. GPT-2 small (124M) forward, ms")
    print(f"{'batch x len':>12} {'ours':>9} {'ours fast':>10} {'HF':>9} {'ratio':>6} {'fast ratio':>10}")
    with seeded(0): hf = GPT2LMHeadModel(GPT2Config()).to(device).eval()
    ours, fast = gpt_from_hf(hf, fast=False).to(device), gpt_from_hf(hf, fast=True).to(device)
    for b, n in ((1, 128), (1, 512), (4, 256)):
        x = torch.randint(0, 50257, (b, n), device=device)
        t_o, t_f, t_h = (bench(f, reps=5, warmup=1, device=device) for f in (lambda: ours(x), lambda: fast(x), lambda: hf(x).logits))
        print(f"{f'{b} x {n}':>12} {t_o*1e3:9.1f} {t_f*1e3:10.1f} {t_h*1e3:9.1f} {t_o/t_h:6.2f} {t_f/t_h:10.2f}")
        rows.append(dict(benchmark='GPT-2 small (124M) forward', model=f'{b} x {n}', ours_ms=t_o * 1e3, ours_fast_ms=t_f * 1e3,
                         reference_ms=t_h * 1e3, ratio=t_o / t_h, fast_ratio=t_f / t_h))
    if save_to: save(rows, 'speed_gpt', device, torch.get_num_threads())

if __name__ == '__main__': cli(main, 'speed_gpt', __doc__, quick='one repetition of the slow uncached runs')
