"""Model and hardware FLOPs utilisation (MFU, HFU) of the book's models on this machine, against a measured and a theoretical peak.

    .venv/bin/python benchmarks/mfu_speed.py [--threads N] [--device cpu|cuda] [--quick] [--save] [--ghz GHZ]

1. Peaks, float32. Measured: the best rate of n x n matrix products (n = 1024, 2048, 4096), chapter 11's `matmul_peak`.
   Theoretical (CPU): chapter 11's `cpu_peak`, cores x clock x FLOPs per cycle, twice: at the nominal clock /proc/cpuinfo
   reports, and at the clock measured while each core the threads use runs a chain of dependent integer adds (one add
   per cycle; needs a C compiler; --ghz sets the clock instead); cores: as many as the threads, at most the CPU's. The
   %-columns use the measured clock's peak: the nominal clock is not a ceiling when the cores run faster.
2. Training steps of the book's models with random weights, at the batch shapes their chapters train with (GPT-2
   small and SmolLM2 at one 256-token sequence, which a 2-core CPU can time): chapter 11's `mfu` times the median of a
   few steps (forward, a loss over every output, backward, AdamW). Model FLOPs are the chapter's formulas with nothing
   recomputed (`training_flops`); hardware FLOPs are what PyTorch's counter sees run, the fused attention kernel's
   recomputed scores included. MFU and HFU = those FLOPs per second / a peak.
With --save the table goes to nbs/results/speed_mfu-DEVICE.csv (with a .json naming the hardware), which chapter 11 shows.
"""
import platform, shutil, subprocess, sys, tempfile
from pathlib import Path
import torch
from transformer_ground_up.core import seeded
from transformer_ground_up.scale import BOOK_MODELS, FAMILIES, family_sizes, matmul_peak, mfu, cpu_peak, training_flops
from attention_speed import save  # the same results files as the other speed benchmarks

STEPS = [  # (name in BOOK_MODELS, batch, target tokens, source tokens, extra sizes for training)
    ('GRU encoder-decoder (02)', 64, 16, 16, {}),
    ('Transformer (06)', 64, 16, 16, {}),
    ('BART (09a)', 32, 64, 64, {}),
    ('character GPT (07)', 16, 256, None, dict(dropout=0.)),
    ('MiniLM-L6 (09, 10)', 16, 256, None, {}),
    ('GPT-2 small (07)', 1, 256, None, {}),
    ('SmolLM2-135M (07a)', 1, 256, None, {}),
]

CLOCK_C = r"""#include <stdio.h>
#include <time.h>
int main(void) {  /* four dependent adds per iteration: four cycles, the loop's own work runs beside them */
  long x = 0, n = 500000000L; struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) __asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(x));
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%f\n", 4.0 * n / ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9) / 1e9);
  return 0; }
"""

def measured_ghz(cores:int, tries:int=3):
    "Clock in GHz with those cores busy: the slowest core's rate of dependent adds, best of `tries`; None without x86-64 and a C compiler."
    cc = shutil.which('cc') or shutil.which('gcc')
    if not cc or platform.machine() != 'x86_64': return None
    with tempfile.TemporaryDirectory() as d:
        (Path(d)/'clock.c').write_text(CLOCK_C)
        subprocess.run([cc, '-O1', '-o', f'{d}/clock', f'{d}/clock.c'], check=True)
        def once():
            ps = [subprocess.Popen([f'{d}/clock'], stdout=subprocess.PIPE, text=True) for _ in range(cores)]
            return min(float(p.communicate()[0]) for p in ps)
        return max(once() for _ in range(tries))

def batch(args, b): return tuple(a.repeat(b, 1) for a in args)

def main(threads=None, device='cpu', quick=False, save_to=False, ghz=None):
    if threads: torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads")
    rows, peaks = [], {}
    print("\n1. peaks, float32 (GFLOP/s)")
    for n in (1024, 2048) if quick else (1024, 2048, 4096):
        peaks[n] = matmul_peak(n, device=device, reps=3 if quick else 5)
        print(f"matmul {n:>5} x {n}: {peaks[n] / 1e9:8.1f}")
        rows.append({'benchmark': 'peak, float32', 'setting': f'matmul {n} x {n}', 'GFLOP/s': peaks[n] / 1e9})
    peak, theory = max(peaks.values()), None
    if device == 'cpu':
        cores = min(torch.get_num_threads(), cpu_peak()['cores'])   # the cores the threads run on
        nominal, clock = cpu_peak(cores), ghz or measured_ghz(cores)
        for what, p in (('nominal clock (/proc/cpuinfo)', nominal), (f"{'given' if ghz else 'measured'} clock, those cores busy", cpu_peak(cores, clock) if clock else None)):
            if p is None: continue
            s = f"theoretical, {what}: {p['cores']} cores x {p['ghz']:.3f} GHz x {p['flops_per_cycle']} FLOPs/cycle"
            print(f"{s}: {p['peak'] / 1e9:8.1f}")
            rows.append({'benchmark': 'peak, float32', 'setting': s, 'GFLOP/s': p['peak'] / 1e9})
            theory = p['peak']
        if peak > theory: print(f"note: the matmul rate exceeds the theoretical peak by {peak / theory - 1:.0%}: the clock assumed is below the one the cores ran at")
    print(f"\n2. training steps: MFU and HFU against the matmul peak {peak / 1e9:.1f}" + (f" and the theoretical peak {theory / 1e9:.1f} GFLOP/s" if theory else ''))
    for name, b, T, S, extra in STEPS[:4] if quick else STEPS:
        family, sizes = BOOK_MODELS[name][:2]
        c, f = family_sizes(family, **{**sizes, **extra}), FAMILIES[family]
        with seeded(0): model = f.build(c).to(device)
        need = training_flops(family, T, S, **{**sizes, **extra}) * b   # model FLOPs by formula, nothing recomputed
        r = mfu(model, tuple(a.to(device) for a in batch(f.inputs(c, T, S if S else T), b)), need, peak, reps=3 if quick else 5)
        setting = f"{b} x {f'{S} + {T}' if S else T} tokens"
        row = {'benchmark': 'training step (forward, backward, AdamW)', 'setting': f"{name}, {setting}", 'model GFLOP per step': need / 1e9,
               'hardware GFLOP per step': r['hardware_flops'] / 1e9, 'ms per step': r['seconds'] * 1e3,
               'model GFLOP/s': need / r['seconds'] / 1e9, 'hardware GFLOP/s': r['hardware_flops'] / r['seconds'] / 1e9,
               'MFU % of matmul peak': 100 * r['mfu'], 'HFU % of matmul peak': 100 * r['hfu']}
        if theory: row.update({'MFU % of theoretical peak': 100 * r['mfu'] * peak / theory, 'HFU % of theoretical peak': 100 * r['hfu'] * peak / theory})
        print(f"{name:>26} {setting:>20}: {row['model GFLOP per step']:8.2f} / {row['hardware GFLOP per step']:8.2f} GFLOP (model / hardware) "
              f"{row['ms per step']:9.1f} ms  MFU {r['mfu']:6.1%} HFU {r['hfu']:6.1%} of matmul" + (f", {row['MFU % of theoretical peak']:5.1f}% / {row['HFU % of theoretical peak']:5.1f}% of theoretical" if theory else ''))
        rows.append(row)
        del model
    if save_to: save(rows, 'speed_mfu', device, torch.get_num_threads())

if __name__ == '__main__':  # the shared command line (`attention_speed.cli`) and --ghz
    import argparse
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--threads', type=int, default=None); p.add_argument('--device', default='cpu')
    p.add_argument('--quick', action='store_true', help='fewer sizes, models and repetitions')
    p.add_argument('--save', action='store_true', help='also write nbs/results/speed_mfu-DEVICE.csv (+ .json)')
    p.add_argument('--ghz', type=float, default=None, help='clock of the theoretical peak (default: measured)')
    a = p.parse_args()
    main(a.threads, a.device, a.quick, a.save, a.ghz)
