"""Training throughput of chapter 10's fastai loop against Hugging Face's `Trainer`.

    .venv/bin/python benchmarks/finetune_speed.py [--n 512] [--bs 16] [--max-len 256] [--precision fp32|bf16|fp16]
                                                  [--device cpu|cuda] [--threads N] [--rounds 3] [--save]

One epoch over the same `n` balanced IMDb training reviews, MiniLM with a new 2-class head, the same batch size,
maximum length (head+tail truncation), precision and peak learning rate, batches built from reviews of similar
length in both (fastai's `SortedDL`; the `Trainer`'s `group_by_length` sampler), no evaluation:

- fastai + Hugging Face's `BertForSequenceClassification` (`load_classifier('hf')`),
- fastai + chapter 09's `Bert` with the same weights (`load_classifier('ours')`),
- the same with fastai's own `Adam` instead of the learner's default `FusedAdamW` (the optimizer's share),
- Hugging Face `Trainer` + `BertForSequenceClassification` (its own AdamW, linear schedule, `DataCollatorWithPadding`).

Throughput = training samples / wall time of the training loop (fastai: `TrainTimer`, validation excluded;
Trainer: its `train_samples_per_second`). The loops run side by side, one after the other in each of `--rounds`
rounds; each figure is the median over the rounds. ratio = fastai / Trainer (>= 1.0: fastai at least as fast),
printed last. With --save the table goes to nbs/results/speed_finetune-DEVICE.csv (+ .json: hardware, command).
"""
import argparse, statistics, tempfile, time
import torch
from torch.utils.data import Dataset
from transformers import Trainer, TrainingArguments, DataCollatorWithPadding
from transformer_ground_up.core import seeded
from transformer_ground_up.data import imdb_sample
from transformer_ground_up.finetune import (load_tokenizer, imdb_dls, load_classifier, classifier_learner, TrainTimer,
                                            HFTokenize, quiet_hf)
from fastai.optimizer import Adam
from attention_speed import save  # the results files every speed benchmark writes

class Reviews(Dataset):
    "Tokenized reviews (the same ids as fastai's pipeline) and 0/1 labels, for the Trainer."
    def __init__(self, df, tok, max_len):
        tt = HFTokenize(tok, max_len)
        self.items = [{'input_ids': tt(t).tolist(), 'labels': int(l == 'positive')} for t, l in zip(df.text, df.label)]
    def __len__(self): return len(self.items)
    def __getitem__(self, i): return self.items[i]

def fastai_rate(arch, df, tok, a, lr, **kwargs):
    dls = imdb_dls(df, tok, a.max_len, a.bs, device=a.device)
    with seeded(0):
        learn = classifier_learner(dls, load_classifier(arch), a.precision, cbs=[timer := TrainTimer()], **kwargs)
        with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, lr)
    return timer.per_second

def trainer_rate(df, tok, a, lr):
    train = Reviews(df[df.split == 'train'], tok, a.max_len)
    with seeded(0): model = load_classifier('hf').model
    with tempfile.TemporaryDirectory() as out, quiet_hf():
        args = TrainingArguments(out, per_device_train_batch_size=a.bs, num_train_epochs=1, learning_rate=lr, weight_decay=0.01,
                                 bf16=a.precision == 'bf16', fp16=a.precision == 'fp16', use_cpu=a.device == 'cpu',
                                 train_sampling_strategy='group_by_length', dataloader_num_workers=0, report_to='none',
                                 save_strategy='no', logging_strategy='no', disable_tqdm=True, seed=0)
        res = Trainer(model=model, args=args, train_dataset=train, data_collator=DataCollatorWithPadding(tok)).train()
    return res.metrics['train_samples_per_second']

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=512, help='training reviews (balanced)')
    p.add_argument('--bs', type=int, default=16)
    p.add_argument('--max-len', type=int, default=256)
    p.add_argument('--precision', default='fp32', choices=['fp32', 'bf16', 'fp16'])
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--rounds', type=int, default=3, help='rounds of all loops; each figure is the median')
    p.add_argument('--save', action='store_true', help='also write nbs/results/speed_finetune-DEVICE.csv (+ .json)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    df, tok, lr = imdb_sample(a.n, seed=0, valid=32), load_tokenizer(), 1e-4  # validation is not timed
    setting = f"{a.n} reviews, batch {a.bs}, max_len {a.max_len}, {a.precision}"
    print(f"torch {torch.__version__}, {a.device}, {torch.get_num_threads()} threads; {setting}; median of {a.rounds} rounds")
    loops = {'fastai + HF model': lambda: fastai_rate('hf', df, tok, a, lr), 'fastai + our Bert': lambda: fastai_rate('ours', df, tok, a, lr),
             'fastai (its Adam) + our Bert': lambda: fastai_rate('ours', df, tok, a, lr, opt_func=Adam),
             'HF Trainer + HF model': lambda: trainer_rate(df, tok, a, lr)}
    runs = {k: [] for k in loops}
    for r in range(a.rounds):
        for k, f in loops.items(): runs[k].append(f())
        print(f"round {r + 1}: " + ', '.join(f"{k} {v[-1]:.2f}" for k, v in runs.items()), flush=True)
    rates = {k: statistics.median(v) for k, v in runs.items()}
    base = rates['HF Trainer + HF model']
    print(f"{'loop':>28} {'samples/s':>10} {'vs Trainer':>11}")
    for k, v in rates.items(): print(f"{k:>28} {v:10.2f} {v / base:10.2f}x")
    if a.save: save([dict(benchmark='fine-tuning throughput (samples/s, median of rounds)', setting=setting, loop=k, samples_per_s=v,
                          rounds=' / '.join(f"{x:.2f}" for x in runs[k]), ratio=v / base) for k, v in rates.items()],
                    'speed_finetune', a.device, torch.get_num_threads())
    print("ratio to Trainer: " + ', '.join(f"{k} {v / base:.2f}x" for k, v in rates.items() if k != 'HF Trainer + HF model'))

if __name__ == '__main__': main()
