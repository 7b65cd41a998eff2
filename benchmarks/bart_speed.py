"""Speed of chapter 09a's BART against Hugging Face's `BartForConditionalGeneration`, on the same random weights.

    .venv/bin/python benchmarks/bart_speed.py [--threads N] [--device cpu|cuda] [--quick] [--save]

The model is the chapter's size (3 + 3 layers, d_model 256, 4 heads, d_ff 1024, 10,000 tokens), in eval mode:
1. Teacher-forced forward pass (logits of every target position) under `torch.no_grad()`: batch 64 x 16 + 16 tokens
   (the translation test's sentences) and 32 x 128 + 128 (pre-training documents). Ours uses chapter 05's attention
   with PyTorch's fused kernel (`fast=True`) as Hugging Face's default does (SDPA).
2. Greedy decoding of 32 sentences, 24 new tokens each, with the decoder cache: chapter 02's `greedy_decode` against
   Hugging Face's `generate` (both never stop early: `<eos>` is made impossible).
Times are medians of repeated runs; ratio = ours / theirs (time), below 1 is faster. With --save the table also goes
to nbs/results/speed_bart-DEVICE.csv (with a .json naming the hardware), which chapter 09a shows.
"""
import torch
from transformers import BartConfig, BartForConditionalGeneration
from transformer_ground_up.data import PAD, BOS, EOS
from transformer_ground_up.seq2seq import greedy_decode
from transformer_ground_up.bart import bart_from_hf
from attention_speed import bench, save, cli  # the same timer (median of repeated runs) and the same results files

@torch.no_grad()
def main(threads=None, device='cpu', quick=False, save_to=False):
    if threads: torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads")
    torch.manual_seed(0)
    c = BartConfig(vocab_size=10000, d_model=256, encoder_layers=3, decoder_layers=3, encoder_attention_heads=4, decoder_attention_heads=4,
                   encoder_ffn_dim=1024, decoder_ffn_dim=1024, max_position_embeddings=256, pad_token_id=PAD, bos_token_id=BOS,
                   eos_token_id=EOS, decoder_start_token_id=BOS, forced_eos_token_id=None)
    hf = BartForConditionalGeneration(c).to(device).eval()
    with torch.no_grad(): hf.final_logits_bias[0, EOS] = -1e4   # no early stop: both decode the full length
    ours = bart_from_hf(hf).to(device).eval()
    for m in ours.modules():
        if hasattr(m, 'fast'): m.fast = True
    rows, reps = [], 3 if quick else 7
    print("\n1. teacher-forced forward, ms")
    print(f"{'batch x src + tgt':>18} {'ours':>9} {'HF':>9} {'ratio':>6}")
    for b, n in ((64, 16), (32, 128)):
        src, tgt = torch.randint(5, 10000, (b, n), device=device), torch.randint(5, 10000, (b, n), device=device)
        ref = hf(input_ids=src, decoder_input_ids=tgt).logits
        assert (ours(src, tgt) - ref).abs().max() < 1e-3, "logits differ"
        t_o, t_h = (bench(f, reps=reps, warmup=1, device=device) for f in (lambda: ours(src, tgt), lambda: hf(input_ids=src, decoder_input_ids=tgt).logits))
        print(f"{f'{b} x {n} + {n}':>18} {t_o*1e3:9.1f} {t_h*1e3:9.1f} {t_o/t_h:6.2f}")
        rows.append(dict(benchmark='BART forward (teacher-forced)', setting=f'{b} x {n} + {n}', ours=t_o * 1e3, reference=t_h * 1e3, unit='ms', ratio=t_o / t_h))
    src, new = torch.randint(5, 10000, (32, 16), device=device), 24
    gen = dict(do_sample=False, num_beams=1, max_new_tokens=new, suppress_tokens=[PAD, BOS], decoder_start_token_id=BOS, eos_token_id=EOS, pad_token_id=PAD)
    assert greedy_decode(ours, src, new).tolist() == hf.generate(src, **gen)[:, 1:].tolist(), "greedy decodings differ"
    t_o = bench(lambda: greedy_decode(ours, src, new), reps=reps, warmup=1, device=device)
    t_h = bench(lambda: hf.generate(src, **gen), reps=reps, warmup=1, device=device)
    print(f"\n2. greedy decoding, 32 x 16 source tokens, {new} new tokens, decoder cache (tokens/s): ours {32*new/t_o:.0f}, HF {32*new/t_h:.0f}, ratio {t_o/t_h:.2f}")
    rows.append(dict(benchmark=f'BART greedy decoding, {new} new tokens, decoder cache', setting='32 x 16', ours=32 * new / t_o, reference=32 * new / t_h,
                     unit='tokens/s', ratio=t_o / t_h))
    if save_to: save(rows, 'speed_bart', device, torch.get_num_threads())

if __name__ == '__main__': cli(main, 'speed_bart', __doc__, quick='fewer repetitions')
