"""Speed of chapter 01a's tokenizers (pure Python) against Hugging Face's `tokenizers` (Rust), on IMDb reviews.

    .venv/bin/python benchmarks/tokenizer_speed.py [--reviews N] [--save]

1. Encoding: SmolLM2's byte-level BPE (`ByteBPE.from_json`) and MiniLM's WordPiece (`basic_tokenize` + `wordpiece`) against
   `tokenizers.Tokenizer` on the same tokenizer.json, on one thread: one `encode` call per review, and all reviews in one
   `encode_batch` call; the ids checked equal: tokens per second, median of three passes (ours starts each pass with an empty
   piece cache).
2. Training: byte-level BPE on Shakespeare to 3,000 tokens, `train_bpe` and `train_bpe_plain` (the first 300 tokens: it is
   slow) against `tokenizers`' `BpeTrainer`, the merges checked equal: seconds.
With --save the table goes to nbs/results/speed_tokenizer-cpu.csv (with a .json naming the hardware), which chapter 01a shows.
"""
import os; os.environ.setdefault('RAYON_NUM_THREADS', '1')   # tokenizers' Rust threads: one, like ours
import json, statistics, time
from pathlib import Path
from tokenizers import Tokenizer, models, trainers, pre_tokenizers
from transformer_ground_up.data import load_imdb, load_shakespeare
from transformer_ground_up.subword import ByteBPE, basic_tokenize, wordpiece, smollm2_tokenizer, minilm_dir, train_bpe, train_bpe_plain
from attention_speed import save

def timed(f, n=3):
    ts = []
    for _ in range(n): t0 = time.perf_counter(); out = f(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts), out

def main(reviews:int=2000, save_to:bool=False):
    texts = load_imdb().text.sample(reviews, random_state=0).tolist()
    rows = []
    smol_json = Path(smollm2_tokenizer().name_or_path)/'tokenizer.json'
    hf = Tokenizer.from_file(str(smol_json))
    bpe = ByteBPE.from_json(smol_json)
    def ours_bpe(): bpe._cache.clear(); return [bpe.encode(t) for t in texts]   # every pass from an empty piece cache
    mini = minilm_dir(); vocab = {l.rstrip('\n'): i for i, l in enumerate(open(mini/'vocab.txt', encoding='utf-8'))}
    hf_wp = Tokenizer.from_file(str(mini/'tokenizer.json')); hf_wp.no_padding(); hf_wp.no_truncation()
    ours_wp = lambda: [[vocab[p] for w in basic_tokenize(t) for p in wordpiece(w, vocab)] for t in texts]
    for name, ours, ref in (('SmolLM2 byte-level BPE', ours_bpe, hf), ('MiniLM WordPiece', ours_wp, hf_wp)):
        (to, a), (tr, b) = timed(ours), timed(lambda: [ref.encode(t, add_special_tokens=False).ids for t in texts])
        tb, c = timed(lambda: [e.ids for e in ref.encode_batch(texts, add_special_tokens=False)])
        assert a == b == c, name
        n = sum(map(len, a))
        rows.append(dict(benchmark=f'encode {reviews} IMDb reviews on one thread', setting=name, tokens=n, ours_s=to, tokenizers_s=tr,
                         ours_tokens_per_s=round(n / to), tokenizers_tokens_per_s=round(n / tr), ratio=to / tr,
                         tokenizers_batch_s=tb, tokenizers_batch_tokens_per_s=round(n / tb)))
        print(f"{name:24} {n:,} tokens: ours {n / to:,.0f} tokens/s, tokenizers {n / tr:,.0f} tokens/s one call per review "
              f"({to / tr:.1f}x), {n / tb:,.0f} tokens/s in one encode_batch ({to / tb:.1f}x)")
    lines = load_shakespeare().split('\n')
    def hf_train(V):
        tk = Tokenizer(models.BPE()); tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tk.train_from_iterator(lines, trainers.BpeTrainer(vocab_size=V, min_frequency=0, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
        return [tuple(x.split(' ')) if isinstance(x, str) else tuple(x) for x in json.loads(tk.to_str())['model']['merges']]
    for name, V, f in (('train_bpe', 3000, lambda: train_bpe(lines, 3000)[1]), ('train_bpe_plain', 300, lambda: train_bpe_plain(lines, 300)[1])):
        (to, a), (tr, b) = timed(f, 1), timed(lambda: hf_train(V), 1)
        assert a == b, name
        rows.append(dict(benchmark=f'train byte-level BPE on Shakespeare to {V} tokens', setting=name, merges=len(a), ours_s=to, tokenizers_s=tr, ratio=to / tr))
        print(f"{name:24} {V} tokens ({len(a)} merges): ours {to:.2f} s, tokenizers {tr:.2f} s ({to / tr:.1f}x)")
    if save_to: save(rows, 'speed_tokenizer', 'cpu', 1)

if __name__ == '__main__':
    import argparse
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reviews', type=int, default=2000); p.add_argument('--save', action='store_true')
    a = p.parse_args(); main(a.reviews, a.save)
