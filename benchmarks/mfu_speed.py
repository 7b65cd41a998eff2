"""Model FLOPs utilisation (MFU) of the book's models on this machine: training-step FLOPs per second against the measured matmul peak.

    .venv/bin/python benchmarks/mfu_speed.py [--threads N] [--device cpu|cuda] [--quick] [--save]

1. Peak: the best rate of n x n float32 matrix products (n = 1024, 2048, 4096), chapter 11's `matmul_peak`.
2. Training steps of the book's models with random weights, at the batch shapes their chapters train with (GPT-2
   small and SmolLM2 at one 256-token sequence, which a 2-core CPU can time): chapter 11's `mfu` counts the FLOPs of
   a step (forward, a loss over every output, backward, AdamW; PyTorch's counter with chapter 11's formulas for the
   CPU kernels it misses) and times the median of a few steps. MFU = achieved FLOP/s / the best peak above.
With --save the table goes to nbs/results/speed_mfu-DEVICE.csv (with a .json naming the hardware), which chapter 11 shows.
"""
import torch
from transformer_ground_up.core import seeded
from transformer_ground_up.scale import BOOK_MODELS, FAMILIES, family_sizes, matmul_peak, mfu
from attention_speed import save, cli  # the same results files as the other speed benchmarks

STEPS = [  # (name in BOOK_MODELS, batch, target tokens, source tokens, extra sizes for training)
    ('GRU encoder-decoder (02)', 64, 16, 16, {}),
    ('Transformer (06)', 64, 16, 16, {}),
    ('BART (09a)', 32, 64, 64, {}),
    ('character GPT (07)', 16, 256, None, dict(dropout=0.)),
    ('MiniLM-L6 (09, 10)', 16, 256, None, {}),
    ('GPT-2 small (07)', 1, 256, None, {}),
    ('SmolLM2-135M (07a)', 1, 256, None, {}),
]

def batch(args, b): return tuple(a.repeat(b, 1) for a in args)

def main(threads=None, device='cpu', quick=False, save_to=False):
    if threads: torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads")
    rows, peaks = [], {}
    print("\n1. matmul peak, float32 (GFLOP/s)")
    for n in (1024, 2048) if quick else (1024, 2048, 4096):
        peaks[n] = matmul_peak(n, device=device, reps=3 if quick else 5)
        print(f"{n:>6} x {n}: {peaks[n] / 1e9:8.1f}")
        rows.append(dict(benchmark='matmul peak, float32', setting=f'{n} x {n}', **{'GFLOP/s': peaks[n] / 1e9}))
    peak = max(peaks.values())
    print(f"\n2. training steps (MFU against {peak / 1e9:.1f} GFLOP/s)")
    for name, b, T, S, extra in STEPS[:4] if quick else STEPS:
        family, sizes = BOOK_MODELS[name][:2]
        c, f = family_sizes(family, **{**sizes, **extra}), FAMILIES[family]
        with seeded(0): model = f.build(c).to(device)
        r = mfu(model, tuple(a.to(device) for a in batch(f.inputs(c, T, S if S else T), b)), peak, reps=3 if quick else 5)
        setting = f"{b} x {f'{S} + {T}' if S else T} tokens"
        print(f"{name:>26} {setting:>20}: {r['flops'] / 1e9:8.2f} GFLOP/step {r['seconds'] * 1e3:9.1f} ms {r['achieved'] / 1e9:7.1f} GFLOP/s  MFU {r['mfu']:6.1%}")
        rows.append({'benchmark': 'training step (forward, backward, AdamW)', 'setting': f"{name}, {setting}", 'GFLOP per step': r['flops'] / 1e9,
                     'ms per step': r['seconds'] * 1e3, 'GFLOP/s': r['achieved'] / 1e9, 'MFU %': 100 * r['mfu']})
        del model
    if save_to: save(rows, 'speed_mfu', device, torch.get_num_threads())

if __name__ == '__main__': cli(main, 'speed_mfu', __doc__, quick='fewer sizes, models and repetitions')
