#!/usr/bin/env python
"""Sweep every public model of the library through the ways PyTorch users run models.

Discovers every public `nn.Module` subclass (the `__all__` of each transformer_ground_up module) and every
converter (`*_from_hf` functions, `from_torch` classmethods, `load_torch_layer`). Each must have an entry in
REGISTRY below (a random small config and inputs) or an explicit exemption that says why it is not a model;
a discovered name without either fails the sweep, by name. For each model, in eval mode:
  - the output under torch.no_grad() equals the output under torch.inference_mode() and under grad mode, bit for bit
    (grad mode within 1e-6 for RNNs: PyTorch's CPU LSTM runs another oneDNN kernel when it records gradients);
  - a second eval() and a second call give the same output;
  - with dropout > 0, train() changes the output and eval() restores it (without dropout, train() changes nothing);
  - two threads calling the model at once give exactly the results of sequential calls, and a forward pass writes
    no attribute of any module (no memo, no counter: what threads would race on);
  - token ids outside [0, vocab) and float ids are refused with the library's clear error (not torch's IndexError),
    at forward and at the decoding entry points (encode/step) where the model has them;
  - models with a KV cache: cached generation equals uncached generation under inference_mode, and so do the logits
    of a prompt fed in two pieces; encoder-decoders: greedy decoding is the same under inference_mode.
Each converter converts a random small Hugging Face / PyTorch reference, must return its result in eval mode,
and must compute the reference's outputs (compared in float64).
Usage: python tools/sweep_models.py [NAME ...]   (seed: $TGU_TEST_SEED, as the notebooks' checks)
Prints one line per model and converter and a summary; exits 1 on any failure.
"""
import time; T0 = time.perf_counter()  # the summary counts the imports too
import sys, random, inspect, importlib, pkgutil, threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
import torch, torch.nn as nn
from torch import Tensor
import transformer_ground_up as tgu
from transformer_ground_up.core import test_seed
from transformer_ground_up.data import PAD, BOS, EOS
from transformer_ground_up.seq2seq import Encoder, Decoder, Bridge, rnn_seq2seq, greedy_decode
from transformer_ground_up.attention import AdditiveAttention, MultiplicativeAttention, AttentionDecoder, attention_seq2seq, attention_luong
from transformer_ground_up.self_attention import SelfAttention
from transformer_ground_up.multihead import MultiHeadAttention
from transformer_ground_up.transformer import FeedForward, EncoderLayer, DecoderLayer, LabelSmoothingCrossEntropy, transformer_seq2seq
from transformer_ground_up.gpt import GPT, generate, lm_positions
from transformer_ground_up.llama import RoPE, RMSNorm, SwiGLU, Llama, LlamaConfig
from transformer_ground_up.bert import BertConfig, BertEmbeddings, Bert, BertForPreTraining
from transformer_ground_up.bart import bart_seq2seq
from transformer_ground_up.xl import (RelativeAttention, XLLayer, TransformerXL, XLNet, XLConfig, PermutationLM, permutation_masks,
                                      rel_sinusoids, rel_distances)
from transformer_ground_up.bert import MaskedLM, MaskedXL
from transformer_ground_up.finetune import BertClassifier, HFClassifier
from transformer_ground_up.pairs import PairClassifier, BertMultipleChoice, GPT1Classifier, ExtraTokens
from transformer_ground_up.tagging import BertTagger, MultiTaskTagger, BertQA

# ---------------------------------------------------------------- discovery
def discover()->tuple:
    "Public nn.Module classes and converters of every library module: ({name: class}, {name: converter})."
    classes, converters = {}, {}
    for mi in pkgutil.iter_modules(tgu.__path__):
        if mi.name.startswith('_'): continue
        mod = importlib.import_module(f'transformer_ground_up.{mi.name}')
        for name in getattr(mod, '__all__', []):
            obj = getattr(mod, name)
            if inspect.isclass(obj) and issubclass(obj, nn.Module):
                classes[name] = obj
                if 'from_torch' in vars(obj): converters[f'{name}.from_torch'] = obj.from_torch
            elif inspect.isfunction(obj) and (name.endswith('_from_hf') or name == 'load_torch_layer'): converters[name] = obj
    return classes, converters

# ---------------------------------------------------------------- helpers
def flat(out)->list:
    "Every tensor of a (nested) output, in order; None and plain values kept as they are."
    if isinstance(out, Tensor): return [out.detach()]
    if isinstance(out, dict): return [t for k in sorted(out) for t in flat(out[k])]
    if isinstance(out, (list, tuple)): return [t for o in out for t in flat(o)]
    return [out]

def same(a, b)->bool:
    "Bitwise equality of two (nested) outputs."
    fa, fb = flat(a), flat(b)
    return len(fa) == len(fb) and all(torch.equal(x, y) if isinstance(x, Tensor) and isinstance(y, Tensor) else x == y for x, y in zip(fa, fb))

def maxdiff(a, b)->float:
    "Largest absolute difference between the tensors of two (nested) outputs."
    return max(((x.double() - y.double()).abs().max().item() for x, y in zip(flat(a), flat(b)) if isinstance(x, Tensor) and x.numel()), default=0.)

def refused(fn, exc, text)->str|None:
    "None if `fn()` raises `exc` with `text` in its message; else what happened instead."
    try: fn()
    except exc as e:
        return None if text in str(e) else f"{type(e).__name__} without {text!r}: {str(e)[:120]}"
    except Exception as e: return f"{type(e).__name__}: {' '.join(str(e).split())[:120]}"
    return "accepted"

def ids(g, shape, lo, hi): return torch.randint(lo, hi, shape, generator=g)

def right_padded(g, b, n, vocab):  # (batch, n) ids >= 4 with PAD tails; every row keeps >= 2 real tokens
    x = ids(g, (b, n), 4, vocab)
    for i in range(b): x[i, int(torch.randint(2, n + 1, (1,), generator=g)):] = PAD
    return x

def left_mask(g, b, n):  # (batch, n) bool, True at real tokens of left-padded rows, >= 2 real each
    m = torch.ones(b, n, dtype=torch.bool)
    for i in range(b): m[i, :int(torch.randint(0, n - 1, (1,), generator=g))] = False
    return m

# ---------------------------------------------------------------- the registry
@dataclass
class Case:
    "How to build one model and feed it: `make(r)` -> model; `inputs(model, g)` -> dict of keyword inputs."
    make: callable                      # random.Random -> model (random small config)
    inputs: callable                    # (model, torch.Generator) -> dict of inputs
    call: callable = None               # (model, inputs) -> output (default: model(**inputs))
    ids: dict = field(default_factory=dict)  # input name -> vocabulary size(model): the token-id inputs
    dropout: bool = True                # the model has dropout > 0 (train() must change its output)
    doors: callable = None              # (model, inputs) -> {entry point name: fn(inputs)}: other doors that take ids
    cache: bool = False                 # a KV cache: cached generation must equal uncached
    label: str = ''                     # which variant (when a class has several cases)

    def run(self, m, inp): return self.call(m, inp) if self.call else m(**inp)

def exempt(reason:str)->str: return f"not a model: {reason}"

def _seq2seq_doors(m, inp):  # encode/step: the decoding entry points that do not go through forward
    return {'encode': lambda x: m.encode(x['src']), 'step': lambda x: m.step(x['tgt_in'][:, 0], m.encode(inp['src']))}

def _enc_state(m, g, b=3, s=5):  # encoder results a decoder starts from: outputs, final states, mask
    enc_dim, n = m.bridge.lins[0].in_features, len(m.bridge.lins)
    mask = torch.ones(b, s, dtype=torch.bool); mask[1, 3:] = False
    return dict(enc_out=torch.randn(b, s, enc_dim, generator=g), finals=tuple(torch.randn(b, m.layers, enc_dim, generator=g) for _ in range(n)), mask=mask)

def _dec_call(m, x): return m(x['y'], m.init_state(x['enc_out'], x['finals'], x['mask']))

def _gpt(r):
    h = r.choice([2, 4])
    return GPT(vocab_size=r.randint(30, 70), n_ctx=32, d_model=h * r.choice([4, 8]), n_heads=h, layers=r.randint(1, 2), dropout=0.2, fast=r.random() < 0.5)

def _llama(r):
    kv = r.choice([1, 2]); h = kv * r.choice([1, 2])
    c = LlamaConfig(vocab_size=r.randint(30, 70), n_ctx=32, d_model=8 * h, n_heads=h, layers=r.randint(1, 2), dropout=0.2, fast=r.random() < 0.5,
                    n_kv_heads=kv, d_head=r.choice([4, 6, 10]), d_ff=r.randint(10, 30), rope_theta=500., tie=r.random() < 0.5)
    return Llama(c)

def _lm_inputs(m, g, b=3, n=9):
    return dict(x=ids(g, (b, n), 0, m.cfg.vocab_size), k_mask=left_mask(g, b, n))

def _bert_cfg(r): return BertConfig(vocab_size=r.randint(30, 70), max_len=24, type_vocab=r.choice([2, 3]), d_model=16, n_heads=r.choice([2, 4]),
                                    layers=r.randint(1, 2), d_ff=24, dropout=0.2, fast=r.random() < 0.5)

def _bert_inputs(m, g, b=3, n=8):
    e = m.emb if isinstance(m, Bert) else m.bert.emb if isinstance(m, BertForPreTraining) else m  # the embeddings know the sizes
    return dict(ids=right_padded(g, b, n, e.tok.num_embeddings), token_type=ids(g, (b, n), 0, e.seg.num_embeddings))

def _hf_classifier(r):
    from transformers import BertConfig as HFBertConfig, BertForSequenceClassification
    c = HFBertConfig(vocab_size=r.randint(30, 70), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=24,
                     max_position_embeddings=24, num_labels=2)
    return HFClassifier(BertForSequenceClassification(c), pad_id=0)

def _pair_inputs(m, g, b=3, n=8):  # a pair with both target words marked (every row keeps its first two tokens)
    target = torch.zeros(b, n, dtype=torch.long); target[:, 0], target[:, 1] = 1, 2
    return dict(**_bert_inputs(m.bert, g, b, n), target=target)

def _choice_inputs(m, g, b=2, c=3, n=8):  # (batch, choices, L)
    return {k: v.view(b, c, n) for k, v in _bert_inputs(m.bert, g, b * c, n).items()}

def _gpt1_inputs(m, g, b=3, s=2, n=7):  # left-padded (batch, sequences, L), the extract token last
    return dict(ids=ids(g, (b, s, n), 0, m.lm.cfg.vocab_size), k_mask=left_mask(g, b * s, n).view(b, s, n))

def _xl_cfg(r, cls=TransformerXL):
    h = r.choice([2, 3])
    return cls(XLConfig(vocab_size=r.randint(30, 70), d_model=4 * h, n_heads=h, layers=r.randint(1, 2), d_ff=r.randint(10, 20), dropout=0.2,
                        attn_type=r.choice(['bi', 'uni']), mem_len=r.choice([None, 4]), n_ctx=32, pre_ln=r.random() < 0.5))

def _xl_inputs(m, g, b=3, n=7):  # a segment after the memory of a first one (made in eval mode, as a reader would)
    x0, x = ids(g, (b, 5), 0, m.cfg.vocab_size), ids(g, (b, n), 0, m.cfg.vocab_size)
    with torch.no_grad(): mems = m(x0)[1]
    return dict(x=x, mems=mems, token_type=ids(g, (b, n), 0, 2))

def _xlnet_inputs(m, g, b=3, n=7):
    sees, tg, _ = permutation_masks(n, 3, b, g)
    return dict(**_xl_inputs(m, g, b, n), sees=sees, targets=tg)

def _rel_inputs(m, g, b=3, n=5, mlen=4):
    return dict(query=torch.randn(b, n, m.d_model, generator=g), key=torch.randn(b, n + mlen, m.d_model, generator=g),
                r=rel_sinusoids(rel_distances(n, n + mlen), m.d_model), mask=left_mask(g, b, n + mlen)[:, None].expand(b, n, n + mlen))

_vocab = lambda attr: (lambda m: getattr(m, attr))
REGISTRY = {
    # chapter 02
    'Encoder': Case(lambda r: Encoder(r.randint(20, 50), emb=8, hidden=6, layers=r.randint(1, 2), rnn=r.choice(['gru', 'lstm']),
                                      bidirectional=r.random() < 0.5, reverse=r.random() < 0.5, dropout=0.3),
                    lambda m, g: dict(src=right_padded(g, 3, 6, m.vocab_sz)), ids={'src': _vocab('vocab_sz')}),
    'Bridge': Case(lambda r: Bridge(6, 5, r.choice([1, 2])), lambda m, g: dict(finals=tuple(torch.randn(3, 2, 6, generator=g) for _ in m.lins)), dropout=False),
    'Decoder': Case(lambda r: Decoder(r.randint(20, 50), enc_dim=6, emb=8, hidden=7, layers=r.randint(1, 2), rnn=r.choice(['gru', 'lstm']), dropout=0.3),
                    lambda m, g: dict(y=ids(g, (3, 4), 0, m.vocab_sz), **_enc_state(m, g)), call=_dec_call, ids={'y': _vocab('vocab_sz')}),
    'Seq2Seq': [Case(lambda r, f=f: f(src_vocab_sz=r.randint(20, 50), tgt_vocab_sz=r.randint(20, 50), emb=8, hidden=6, rnn=r.choice(['gru', 'lstm']),
                                     bidirectional=r.random() < 0.5, reverse=r.random() < 0.5, dropout=0.3),
                     lambda m, g: dict(src=right_padded(g, 3, 6, m.src_vocab_sz), tgt_in=right_padded(g, 3, 5, m.tgt_vocab_sz)),
                     ids={'src': _vocab('src_vocab_sz'), 'tgt_in': _vocab('tgt_vocab_sz')}, doors=_seq2seq_doors, label=f.__name__)
                for f in (rnn_seq2seq, attention_seq2seq, attention_luong)],
    # chapter 03
    'AdditiveAttention': Case(lambda r: AdditiveAttention(6, 5, r.choice([4, 7])),
                              lambda m, g: dict(q=torch.randn(3, 2, 6, generator=g), keys=torch.randn(3, 5, 5, generator=g), mask=left_mask(g, 3, 5)), dropout=False),
    'MultiplicativeAttention': Case(lambda r: MultiplicativeAttention(6, 6, r.choice(['dot', 'general'])),
                                    lambda m, g: dict(q=torch.randn(3, 2, 6, generator=g), keys=torch.randn(3, 5, 6, generator=g), mask=left_mask(g, 3, 5)), dropout=False),
    'AttentionDecoder': Case(lambda r: AttentionDecoder(r.randint(20, 50), enc_dim=6, emb=8, hidden=6, layers=r.randint(1, 2), rnn=r.choice(['gru', 'lstm']),
                                                        attention=r.choice(['bahdanau', 'luong']), dropout=0.3),
                             lambda m, g: dict(y=ids(g, (3, 4), 0, m.vocab_sz), **_enc_state(m, g)), call=_dec_call, ids={'y': _vocab('vocab_sz')}),
    # chapters 04-06
    'SelfAttention': Case(lambda r: SelfAttention(8, 6, r.choice([4, 8])), lambda m, g: dict(x=torch.randn(3, 5, 8, generator=g), k_mask=left_mask(g, 3, 5),
                                                                                             causal=True), dropout=False),
    'MultiHeadAttention': Case(lambda r: MultiHeadAttention(16, 4, dropout=0.3, fast=r.random() < 0.5, n_kv_heads=r.choice([1, 2, 4])),
                               lambda m, g: dict(query=torch.randn(3, 4, 16, generator=g), key=torch.randn(3, 6, 16, generator=g), k_mask=left_mask(g, 3, 6))),
    'FeedForward': Case(lambda r: FeedForward(8, r.randint(10, 20), 0.3), lambda m, g: dict(input=torch.randn(3, 5, 8, generator=g))),
    'EncoderLayer': Case(lambda r: EncoderLayer(16, 4, 24, 0.3, pre_ln=r.random() < 0.5, fast=r.random() < 0.5),
                         lambda m, g: dict(x=torch.randn(3, 5, 16, generator=g), k_mask=left_mask(g, 3, 5))),
    'DecoderLayer': Case(lambda r: DecoderLayer(16, 4, 24, 0.3, pre_ln=r.random() < 0.5, fast=r.random() < 0.5),
                         lambda m, g: dict(y=torch.randn(3, 4, 16, generator=g), memory=torch.randn(3, 5, 16, generator=g), m_mask=left_mask(g, 3, 5))),
    'Transformer': [Case(mk, lambda m, g: dict(src=right_padded(g, 3, 6, m.src_vocab_sz), tgt_in=right_padded(g, 3, 5, m.tgt_vocab_sz)),
                         ids={'src': _vocab('src_vocab_sz'), 'tgt_in': _vocab('tgt_vocab_sz')}, doors=_seq2seq_doors, label=lab)
                    for lab, mk in (('transformer_seq2seq', lambda r: transformer_seq2seq(r.randint(20, 50), r.randint(20, 50), d_model=16, n_heads=4,
                                                                                          layers=r.randint(1, 2), d_ff=24, dropout=0.3, pre_ln=r.random() < 0.5, max_len=16)),
                                    ('bart_seq2seq', lambda r: bart_seq2seq(r.randint(20, 50), d_model=16, n_heads=2, layers=r.randint(1, 2), d_ff=24,
                                                                            dropout=0.3, max_len=16)))],
    'LabelSmoothingCrossEntropy': Case(lambda r: LabelSmoothingCrossEntropy(r.choice([0.1, 0.2])),
                                       lambda m, g: dict(logits=torch.randn(3, 5, 12, generator=g), targ=ids(g, (3, 5), 0, 12)), dropout=False),
    # chapters 07, 07a
    'DecoderLM': exempt("the base class of the book's decoder-only models (its `embed` is left to them); GPT and Llama are swept"),
    'GPT': Case(_gpt, _lm_inputs, ids={'x': lambda m: m.cfg.vocab_size}, cache=True),
    'RoPE': [Case(lambda r: RoPE(r.choice([4, 6, 10]), 500.), lambda m, g: dict(x=torch.randn(3, 2, 5, m.d_head, generator=g), pos=ids(g, (3, 5), 0, 40)),
                  dropout=False, label='positions'),
             Case(lambda r: RoPE(r.choice([4, 6, 10]), 500.), lambda m, g: dict(x=torch.randn(3, 2, 5, m.d_head, generator=g), pos=ids(g, (3, 5), 0, 40)),
                  call=lambda m, x: m(x['x'], m.cos_sin(x['pos'])), dropout=False, label='precomputed cos/sin')],
    'RMSNorm': Case(lambda r: RMSNorm(12, 1e-5), lambda m, g: dict(x=3 * torch.randn(3, 5, 12, generator=g)), dropout=False),
    'SwiGLU': Case(lambda r: SwiGLU(8, r.randint(10, 20)), lambda m, g: dict(x=torch.randn(3, 5, 8, generator=g)), dropout=False),
    'Llama': Case(_llama, _lm_inputs, ids={'x': lambda m: m.cfg.vocab_size}, cache=True),
    # chapters 09, 10
    'BertEmbeddings': Case(lambda r: BertEmbeddings(_bert_cfg(r)), _bert_inputs,
                           ids={'ids': lambda m: m.tok.num_embeddings, 'token_type': lambda m: m.seg.num_embeddings}),
    'Bert': Case(lambda r: Bert(_bert_cfg(r)), _bert_inputs, ids={'ids': lambda m: m.cfg.vocab_size, 'token_type': lambda m: m.cfg.type_vocab}),
    'BertForPreTraining': Case(lambda r: BertForPreTraining(Bert(_bert_cfg(r))),
                               lambda m, g: dict(**_bert_inputs(m, g), k_mask=None, labels=torch.where(torch.rand(3, 8, generator=g) < 0.4, 7, -100)),
                               ids={'ids': lambda m: m.bert.cfg.vocab_size, 'token_type': lambda m: m.bert.cfg.type_vocab}),
    'BertClassifier': Case(lambda r: BertClassifier(Bert(_bert_cfg(r)), r.choice([2, 3])), lambda m, g: dict(ids=right_padded(g, 3, 8, m.bert.cfg.vocab_size)),
                           ids={'ids': lambda m: m.bert.cfg.vocab_size}),
    'HFClassifier': Case(_hf_classifier, lambda m, g: dict(ids=right_padded(g, 3, 8, m.model.config.vocab_size)),
                         ids={'ids': lambda m: m.model.config.vocab_size}),
    # chapter 10a
    'PairClassifier': [Case(lambda r, p=p: PairClassifier(Bert(_bert_cfg(r)), r.choice([2, 3]), pooling=p), _pair_inputs,
                            ids={'ids': lambda m: m.bert.cfg.vocab_size, 'token_type': lambda m: m.bert.cfg.type_vocab}, label=p) for p in ('cls', 'target')],
    'BertMultipleChoice': Case(lambda r: BertMultipleChoice(Bert(_bert_cfg(r)), r.choice([3, 4])), _choice_inputs,
                               ids={'ids': lambda m: m.bert.cfg.vocab_size, 'token_type': lambda m: m.bert.cfg.type_vocab}),
    'GPT1Classifier': [Case(lambda r, k=k: GPT1Classifier(_llama(r), k, n_classes=r.choice([2, 3])), _gpt1_inputs, ids={'ids': lambda m: m.lm.cfg.vocab_size}, label=k)
                       for k in ('pair', 'choice')],
    'ExtraTokens': Case(lambda r: ExtraTokens(nn.Embedding(r.randint(20, 40), 8), 3), lambda m, g: dict(ids=ids(g, (3, 5), 0, m.vocab + 3)),
                        ids={'ids': lambda m: m.vocab + 3}, dropout=False),
    # chapter 10b
    'BertTagger': Case(lambda r: BertTagger(Bert(_bert_cfg(r)), r.choice([3, 5])), lambda m, g: dict(ids=right_padded(g, 3, 8, m.bert.cfg.vocab_size)),
                       ids={'ids': lambda m: m.bert.cfg.vocab_size}),
    'MultiTaskTagger': [Case(lambda r: MultiTaskTagger(Bert(_bert_cfg(r)), {'pos': 3, 'ner': 5}),
                             lambda m, g, t=t: dict(ids=right_padded(g, 3, 8, m.bert.cfg.vocab_size), task=torch.full((3,), t)),
                             ids={'ids': lambda m: m.bert.cfg.vocab_size}, label=f'head {t}') for t in (0, 1)],
    'BertQA': Case(lambda r: BertQA(Bert(_bert_cfg(r))), lambda m, g: _bert_inputs(m.bert, g),
                   ids={'ids': lambda m: m.bert.cfg.vocab_size, 'token_type': lambda m: m.bert.cfg.type_vocab}),
    'RelativeAttention': Case(lambda r: RelativeAttention(4 * r.choice([2, 3]), 2, dropout=0.3), _rel_inputs),
    'XLLayer': Case(lambda r: XLLayer(12, 3, 20, 0.3, pre_ln=r.random() < 0.5),
                    lambda m, g: dict(h=torch.randn(3, 5, 12, generator=g), mem=torch.randn(3, 4, 12, generator=g), r=rel_sinusoids(rel_distances(5, 9), 12))),
    'TransformerXL': Case(_xl_cfg, _xl_inputs, ids={'x': lambda m: m.cfg.vocab_size}),  # token types are compared, not looked up: any integers
    'XLNet': Case(lambda r: _xl_cfg(r, XLNet), _xlnet_inputs, ids={'x': lambda m: m.cfg.vocab_size}),
    'PermutationLM': Case(lambda r: PermutationLM(_xl_cfg(r, XLNet)), lambda m, g: {k: v for k, v in _xlnet_inputs(m.model, g).items() if k in ('x', 'sees', 'targets')},
                          ids={'x': lambda m: m.model.cfg.vocab_size}),
    'XLStream': exempt("a training wrapper that carries a Transformer-XL's memory from one fastai batch to the next by design (stateful, as fastai's "
                       "AWD-LSTM); the model it wraps, TransformerXL, is swept"),
    'MaskedXL': Case(lambda r: MaskedXL(_xl_cfg(r)), lambda m, g: dict(ids=(x := ids(g, (3, 7), 0, m.xl.cfg.vocab_size)),
                     labels=torch.where(torch.rand(x.shape, generator=g) < 0.3, x, torch.full_like(x, -100)).index_put_((torch.tensor([0]), torch.tensor([0])), x[0, :1])),
                     ids={'ids': lambda m: m.xl.cfg.vocab_size}),
    'MaskedLM': Case(lambda r: MaskedLM(Bert(_bert_cfg(r))), lambda m, g: dict(ids=(x := _bert_inputs(m.pt.bert, g)['ids']),
                     labels=torch.where(torch.rand(x.shape, generator=g) < 0.3, x, torch.full_like(x, -100)).index_put_((torch.tensor([0]), torch.tensor([0])), x[0, :1])),
                     ids={'ids': lambda m: m.pt.bert.cfg.vocab_size}),
}

# ---------------------------------------------------------------- the checks of a model
_MODULE_KEYS = {'training', '_parameters', '_buffers', '_modules', '_non_persistent_buffers_set'}

def _state(m)->dict:
    "Every plain attribute of every submodule: (module.attribute) -> (identity, length); hooks and PyTorch's own slots left out."
    return {f"{n + '.' if n else ''}{k} ({type(s).__name__})": (id(v), len(v) if isinstance(v, (dict, list, set)) else None)
            for n, s in m.named_modules() for k, v in vars(s).items() if k not in _MODULE_KEYS and not k.endswith('hooks') and 'hook' not in k}

def _with(ctx, case, m, inp):
    with ctx(): return case.run(m, inp)

def check_model(case:Case, seed:int)->list:
    "Failures of one model (empty: it passed)."
    r, g = random.Random(seed), torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    m = case.make(r).eval()
    a, b, before = case.inputs(m, g), case.inputs(m, g), _state(m)
    fails = []
    def check(name, fn):
        try:
            msg = fn()
            if msg: fails.append(f"{name}: {msg}")
        except Exception as e: fails.append(f"{name}: {type(e).__name__}: {' '.join(str(e).split())[:160]}")
    want = _with(torch.no_grad, case, m, a)
    check('inference_mode', lambda: None if same(_with(torch.inference_mode, case, m, a), want) else
          f"differs from no_grad by {maxdiff(_with(torch.inference_mode, case, m, a), want):.1e}")
    def grad():  # PyTorch's CPU LSTM runs oneDNN's inference primitive without grad and its training one with it: same math, other rounding
        d, rnn = maxdiff(_with(torch.enable_grad, case, m, a), want), any(isinstance(s, nn.RNNBase) for s in m.modules())
        tol = 1e-6 if rnn else 0.  # float32: a few ulps (1.2e-7 relative) over the handful of steps and layers of these inputs
        return None if d <= tol else f"differs from no_grad by {d:.1e}" + (f" (tolerance {tol:.0e}: RNN kernels)" if rnn else '')
    check('grad mode', grad)
    check('eval twice', lambda: None if same(_with(torch.no_grad, case, m.eval().eval(), a), want) else "a second eval() call changed the output")
    def dropout():
        m.train(); t = _with(torch.no_grad, case, m, a); m.eval()
        if case.dropout and same(t, want): return "train() with dropout > 0 left the output unchanged"
        if not case.dropout and not same(t, want): return "no dropout, but train() changed the output"
        if not same(_with(torch.no_grad, case, m, a), want): return "eval() after train() did not restore the output"
    check('train/eval', dropout)
    def threads():
        seq = [_with(torch.no_grad, case, m, x) for x in (a, b)]
        start = threading.Barrier(2)
        def work(x):
            start.wait()
            return [_with(torch.no_grad, case, m, x) for _ in range(4)]
        with ThreadPoolExecutor(2, initializer=torch.set_num_threads, initargs=(1,)) as pool: outs = list(pool.map(work, (a, b)))
        bad = sum(not same(o, s) for os_, s in zip(outs, seq) for o in os_)
        return f"{bad} of 8 concurrent calls differ from sequential ones" if bad else None
    check('two threads', threads)
    def no_state():  # the calls above must have left every module as it was built: no memo, no counter (threads share modules)
        after = _state(m)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        return f"forward wrote {', '.join(changed[:6])}" if changed else None
    check('no state written', no_state)
    doors = {'forward': lambda x: case.run(m, x), **(case.doors(m, a) if case.doors else {})}
    for name, vocab in case.ids.items():
        V = vocab(m)
        for door, fn in doors.items():
            if door == 'encode' and name != 'src' or door == 'step' and name != 'tgt_in': continue
            for bad, exc, text in ((V, ValueError, f'outside [0, {V})'), (-1, ValueError, f'outside [0, {V})'), (None, TypeError, 'must hold integer token ids')):
                x = a[name].clone()
                if bad is None: x = x.float()
                else: x[0, 0] = bad
                check(f"{door}: {name}={'float' if bad is None else bad}", lambda x=x, fn=fn, exc=exc, text=text: refused(lambda: fn({**a, name: x}), exc, text))
    if case.cache:
        def cached():
            prompts = [a['x'][i][a['k_mask'][i]].tolist() for i in range(len(a['x']))]
            x, km = a['x'], a['k_mask']
            with torch.inference_mode():
                c, u = generate(m, prompts, 6, temperature=0), generate(m, prompts, 6, temperature=0, use_cache=False)
                cache = m.new_cache(); m(x[:, :5], km[:, :5], cache=cache)
                d = (m(x[:, 5:], km, cache=cache) - m(x, km)[:, 5:]).abs().max().item()  # positions from the mask and the cache's length
            if c != u: return f"cached generation {c} != uncached {u}"
            return f"logits through the cache differ by {d:.1e}" if d > 1e-5 else None  # float32, sums of a few dozen terms
        check('KV cache under inference_mode', cached)
    if case.doors:
        def decode():
            with torch.no_grad(): want = greedy_decode(m, a['src'], 6)
            with torch.inference_mode(): got = greedy_decode(m, a['src'], 6)
            return None if torch.equal(want, got) else "greedy decoding differs under inference_mode"
        check('greedy decoding under inference_mode', decode)
    return fails

# ---------------------------------------------------------------- converters
def _eval(m)->str|None:
    train = [n or type(m).__name__ for n, s in m.named_modules() if s.training]
    return f"returned in training mode ({', '.join(train[:3])}{', ...' if len(train) > 3 else ''})" if train else None

def _close(ours, ref, tol=1e-9)->str|None:
    d = maxdiff(ours, ref)
    return None if d <= tol else f"differs from the reference by {d:.1e} in float64 (tolerance {tol:.0e})"

def _jitter(ref, g):
    "Move every weight of a reference model off its initial value (LayerNorms at 1, biases at 0 would hide a weight left uncopied)."
    with torch.no_grad():
        for p in ref.parameters(): p.add_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.1)
        if isinstance(getattr(ref, 'final_logits_bias', None), Tensor): ref.final_logits_bias.add_(torch.randn(ref.final_logits_bias.shape, generator=g))
    return ref

def conv_gpt(r, g):
    from transformers import GPT2Config, GPT2LMHeadModel
    from transformer_ground_up.gpt import gpt_from_hf
    hf = GPT2LMHeadModel(GPT2Config(vocab_size=r.randint(30, 70), n_positions=20, n_embd=24, n_layer=2, n_head=r.choice([2, 3]), bos_token_id=1, eos_token_id=2)).eval()
    m = gpt_from_hf(_jitter(hf, g))
    x, km = ids(g, (3, 7), 0, hf.config.vocab_size), left_mask(g, 3, 7)
    return m, lambda: m.double()(x, km), lambda: hf.double()(input_ids=x, attention_mask=km.long(), position_ids=lm_positions(km)).logits, km

def conv_llama(r, g):
    from transformers import LlamaConfig as HFC, LlamaForCausalLM
    from transformer_ground_up.llama import llama_from_hf
    kv = r.choice([1, 2])
    hf = LlamaForCausalLM(HFC(vocab_size=r.randint(30, 70), hidden_size=24, intermediate_size=30, num_hidden_layers=2, num_attention_heads=4,
                              num_key_value_heads=kv, head_dim=r.choice([4, 6]), max_position_embeddings=32, tie_word_embeddings=r.random() < 0.5,
                              rope_parameters=dict(rope_type='default', rope_theta=500.), bos_token_id=1, eos_token_id=2, pad_token_id=0)).eval()
    m = llama_from_hf(_jitter(hf, g))
    x, km = ids(g, (3, 7), 0, hf.config.vocab_size), left_mask(g, 3, 7)
    return m, lambda: m.double()(x, km), lambda: hf.double()(input_ids=x, attention_mask=km.long(), position_ids=lm_positions(km)).logits, km

def conv_bert(r, g):
    from transformers import BertConfig as HFC, BertModel
    from transformer_ground_up.bert import bert_from_hf
    hf = BertModel(HFC(vocab_size=r.randint(30, 70), hidden_size=16, num_hidden_layers=2, num_attention_heads=r.choice([2, 4]), intermediate_size=24,
                       max_position_embeddings=24, type_vocab_size=2)).eval()
    m = bert_from_hf(_jitter(hf, g))
    x = right_padded(g, 3, 8, hf.config.vocab_size); tt = ids(g, (3, 8), 0, 2); real = x != PAD
    def theirs():
        o = hf.double()(input_ids=x, attention_mask=real.long(), token_type_ids=tt)
        return o.last_hidden_state, o.pooler_output
    return m, lambda: m.double()(x, token_type=tt), theirs, real

def conv_bart(r, g):
    from transformers import BartConfig, BartForConditionalGeneration
    from transformer_ground_up.bart import bart_from_hf
    V = r.randint(30, 70)
    hf = BartForConditionalGeneration(BartConfig(vocab_size=V, d_model=16, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                                                 decoder_attention_heads=2, encoder_ffn_dim=24, decoder_ffn_dim=24, max_position_embeddings=20,
                                                 pad_token_id=PAD, bos_token_id=BOS, eos_token_id=EOS, decoder_start_token_id=BOS,
                                                 forced_eos_token_id=None)).eval()
    m = bart_from_hf(_jitter(hf, g))
    src, tin = right_padded(g, 3, 7, V), right_padded(g, 3, 6, V)
    real = tin != PAD
    theirs = lambda: hf.double()(input_ids=src, attention_mask=src != PAD, decoder_input_ids=tin, decoder_attention_mask=real).logits
    return m, lambda: m.double()(src, tin), theirs, real

def conv_mha(r, g):
    mha = nn.MultiheadAttention(16, r.choice([2, 4]), dropout=0.2, batch_first=True).eval()
    m = MultiHeadAttention.from_torch(_jitter(mha, g))
    q, k = torch.randn(3, 4, 16, generator=g), torch.randn(3, 6, 16, generator=g)
    return m, lambda: m.double()(q.double(), k.double(), need_weights=True), \
        lambda: mha.double()(q.double(), k.double(), k.double(), need_weights=True, average_attn_weights=False), None

def conv_layer(r, g):
    from transformer_ground_up.transformer import load_torch_layer
    if r.random() < 0.5:
        theirs = nn.TransformerEncoderLayer(16, 4, 24, 0.2, batch_first=True).eval()
        m = load_torch_layer(EncoderLayer(16, 4, 24, 0.2), _jitter(theirs, g))
        x = torch.randn(3, 5, 16, generator=g).double()
        return m, lambda: m.double()(x), lambda: theirs.double()(x), None
    theirs = nn.TransformerDecoderLayer(16, 4, 24, 0.2, batch_first=True).eval()
    m = load_torch_layer(DecoderLayer(16, 4, 24, 0.2), _jitter(theirs, g))
    y, mem = torch.randn(3, 4, 16, generator=g).double(), torch.randn(3, 5, 16, generator=g).double()
    return m, lambda: m.double()(y, mem), lambda: theirs.double()(y, mem, tgt_mask=nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64),
                                                                 tgt_is_causal=True), None

def conv_xlnet(r, g):
    from transformers import XLNetConfig, XLNetLMHeadModel
    from transformer_ground_up.xl import xlnet_from_hf
    hf = XLNetLMHeadModel(XLNetConfig(vocab_size=r.randint(30, 70), d_model=24, n_layer=2, n_head=r.choice([2, 3]), d_inner=30,
                                      attn_type=r.choice(['bi', 'uni']), ff_activation=r.choice(['gelu', 'relu']))).eval()
    m = xlnet_from_hf(_jitter(hf, g))
    x, tt = ids(g, (3, 7), 0, hf.config.vocab_size), ids(g, (3, 7), 0, 2)  # the one-stream path (its two-stream path fails in float64)
    return m, lambda: m.double()(x, token_type=tt)[0], lambda: hf.double()(input_ids=x, token_type_ids=tt).logits, None

CONVERTERS = {'gpt_from_hf': conv_gpt, 'llama_from_hf': conv_llama, 'bert_from_hf': conv_bert, 'bart_from_hf': conv_bart,
              'MultiHeadAttention.from_torch': conv_mha, 'load_torch_layer': conv_layer,
              'xlnet_from_hf': conv_xlnet}

def check_converter(build, seed:int)->list:
    "Failures of one converter: it must return its model in eval mode, computing the reference's outputs."
    r, g = random.Random(seed), torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    m, ours, theirs, real = build(r, g)
    fails = [f"eval mode: {msg}"] if (msg := _eval(m)) else []
    m.eval()
    with torch.no_grad(): o, t = ours(), theirs()
    if real is not None:  # padded positions: the conventions differ, compare real ones
        o, t = ([x[real] if x.shape[:real.dim()] == real.shape else x for x in flat(y)] for y in (o, t))
    if (msg := _close(o, t)): fails.append(f"equality: {msg}")
    return fails

# ---------------------------------------------------------------- main
def main(names:list)->int:
    torch.set_num_threads(1)
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can: races show up in a few calls
    seed = test_seed()
    classes, converters = discover()
    fails = {}
    for n in sorted(classes):
        if n not in REGISTRY: fails[n] = [f"public nn.Module {classes[n].__module__}.{n} has no entry in tools/sweep_models.py's REGISTRY "
                                           f"(add a Case, or exempt('why it is not a model'))"]
    for n in sorted(converters):
        if n not in CONVERTERS: fails[n] = [f"converter {n} has no entry in tools/sweep_models.py's CONVERTERS"]
    for n in fails: print(f"FAIL {n}: {fails[n][0]}")
    todo = [(n, c) for n, cs in REGISTRY.items() for c in (cs if isinstance(cs, list) else [cs]) if n in classes and (not names or n in names)]
    n_models = n_exempt = 0
    for n, c in todo:
        if isinstance(c, str): print(f"skip {n}: {c}"); n_exempt += 1; continue
        t0, name = time.perf_counter(), f"{n} ({c.label})" if c.label else n
        try: f = check_model(c, seed)
        except Exception as e: f = [f"{type(e).__name__}: {' '.join(str(e).split())[:200]}"]
        n_models += 1
        if f: fails[name] = f
        print(f"{'FAIL' if f else 'ok  '} {name} ({time.perf_counter() - t0:.1f} s){': ' + '; '.join(f) if f else ''}", flush=True)
    for n, build in CONVERTERS.items():
        if n not in converters or names and n not in names: continue
        t0 = time.perf_counter()
        try: f = check_converter(build, seed)
        except Exception as e: f = [f"{type(e).__name__}: {' '.join(str(e).split())[:200]}"]
        if f: fails[n] = f
        print(f"{'FAIL' if f else 'ok  '} converter {n} ({time.perf_counter() - t0:.1f} s){': ' + '; '.join(f) if f else ''}", flush=True)
    stale = sorted(set(REGISTRY) - set(classes)) + sorted(set(CONVERTERS) - set(converters))
    for n in stale: print(f"note: {n} is in the registry but no longer exported")
    print(f"sweep (seed {seed}): {n_models} models, {len(converters)} converters, {n_exempt} exempt; "
          f"{len(fails)} failed, in {time.perf_counter() - T0:.0f} s (imports included)")
    return 1 if fails else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
