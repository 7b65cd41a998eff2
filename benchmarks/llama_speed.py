"""Speed of chapter 07a's Llama against Hugging Face's `LlamaForCausalLM`, both with SmolLM2-135M's weights.

    .venv/bin/python benchmarks/llama_speed.py [--threads N] [--device cpu|cuda] [--quick] [--save]

1. Forward pass (logits of every position) under `torch.no_grad()`, batch 1 x 512 and 4 x 256 tokens: ours
   (`llama_from_hf`, PyTorch's fused attention kernel as in Hugging Face's default) against `LlamaForCausalLM`.
2. Greedy generation of 256 new tokens after a 16-token prompt, batch 1, with the KV cache: our `generate`
   against Hugging Face's `generate` (new tokens per second).
Times are medians of repeated runs; ratio = ours / theirs (time), below 1 is faster. With --save the table also goes
to nbs/results/speed_llama-DEVICE.csv (with a .json naming the hardware), which chapter 07a and the results page show.
"""
import torch
from transformer_ground_up.gpt import generate, load_lm
from transformer_ground_up.llama import llama_from_hf
from attention_speed import bench, save, cli  # the same timer (median of repeated runs) and the same results files

@torch.no_grad()
def main(threads=None, device='cpu', quick=False, save_to=False):
    if threads: torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads")
    hf, tok = load_lm('smollm2-hf')
    hf = hf.to(device).eval()
    ours, rows = llama_from_hf(hf), []
    print("\n1. SmolLM2-135M forward, ms")
    print(f"{'batch x len':>12} {'ours':>9} {'HF':>9} {'ratio':>6}")
    for b, n in ((1, 512), (4, 256)):
        x = torch.randint(3, 49152, (b, n), device=device)
        t_o, t_h = (bench(f, reps=3 if quick else 7, warmup=1, device=device) for f in (lambda: ours(x), lambda: hf(x).logits))
        print(f"{f'{b} x {n}':>12} {t_o*1e3:9.1f} {t_h*1e3:9.1f} {t_o/t_h:6.2f}")
        rows.append(dict(benchmark='SmolLM2-135M forward', setting=f'{b} x {n}', ours=t_o * 1e3, reference=t_h * 1e3, unit='ms', ratio=t_o / t_h))
    new, p = 256, list(range(100, 116))
    x = torch.tensor([p], device=device)
    ref = hf.generate(input_ids=x, attention_mask=torch.ones_like(x), max_new_tokens=new, min_new_tokens=new, do_sample=False)[0, len(p):].tolist()
    assert generate(ours, p, new, temperature=0) == ref, "greedy generations differ"
    reps = 1 if quick else 3
    t_o = bench(lambda: generate(ours, p, new, temperature=0), reps=reps, warmup=1, device=device)
    t_h = bench(lambda: hf.generate(input_ids=x, attention_mask=torch.ones_like(x), max_new_tokens=new, min_new_tokens=new, do_sample=False), reps=reps, warmup=1, device=device)
    print(f"\n2. greedy generation, 16-token prompt + {new} new tokens, batch 1, KV cache (tokens/s): ours {new/t_o:.1f}, HF {new/t_h:.1f}, ratio {t_o/t_h:.2f}")
    rows.append(dict(benchmark=f'SmolLM2-135M greedy generation, 16 + {new} tokens, KV cache', setting='1 x 272', ours=new / t_o, reference=new / t_h,
                     unit='tokens/s', ratio=t_o / t_h))
    if save_to: save(rows, 'speed_llama', device, torch.get_num_threads())

if __name__ == '__main__': cli(main, 'speed_llama', __doc__, quick='fewer repetitions')
