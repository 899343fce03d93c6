"""Tiny, randomly initialised models for tests (a helper module, not a test file).

Each builder learns a small WordPiece vocabulary from the given corpus, puts a BERT of about
200 KB with seeded random weights behind it (hidden size 32, 2 layers), and writes a real
on-disk model folder: a SentenceTransformer (Transformer + mean Pooling) or a CrossEncoder
(a sequence classifier with one label). Tests that load these folders therefore exercise the genuine
loading, tokenizing and inference code of transformers / sentence-transformers, offline and
in well under a few seconds. The embeddings and scores are deterministic for a given corpus
and seed, and mean nothing: these models say nothing about retrieval or ranking quality.

Nothing here touches the network: model cards (the only step of ``save`` that may consult
the Hub) are switched off with ``create_model_card=False``, and models are built with
``local_files_only=True``.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

HIDDEN_SIZE = 32
MAX_POSITIONS = 256
VOCAB_SIZE = 1000
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # ids 0..4, in this order


def _train_tokenizer(corpus: list[str], vocab_size: int = VOCAB_SIZE):
    """A lowercasing BERT-style WordPiece tokenizer whose vocabulary is learned from ``corpus``.

    The ``tokenizers`` library's own ``WordPieceTrainer`` is deliberately not used: it breaks
    ties between equally frequent merges by hash-map order, which changes from process to
    process, so two builds from the same corpus got different vocabularies (and so different
    ids and scores). Instead the corpus goes through the same BERT normalizer and
    pre-tokenizer, and the vocabulary is, in a fixed order: the special tokens, every
    character (as a word start and as a ``##`` continuation), the words by descending
    frequency, then frequent word endings as ``##`` pieces, up to ``vocab_size``.
    """
    from collections import Counter

    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import BertTokenizerFast

    texts = [t for t in corpus if t and t.strip()]
    if not texts:
        raise ValueError("the corpus for a tiny model needs at least one non-empty text")

    normalizer = normalizers.BertNormalizer(lowercase=True, clean_text=True, handle_chinese_chars=True)
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    words = Counter(
        word for text in texts for word, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text))
    )
    endings = Counter()
    for word, n in words.items():
        for k in range(2, min(len(word) - 1, 4) + 1):
            endings["##" + word[-k:]] += n

    def by_frequency(counts: Counter) -> list[str]:
        return sorted(counts, key=lambda token: (-counts[token], token))

    chars = sorted({c for word in words for c in word})
    tokens = list(dict.fromkeys(SPECIAL_TOKENS + chars + ["##" + c for c in chars]))
    seen = set(tokens)
    for token in by_frequency(words) + by_frequency(endings):
        if len(tokens) >= vocab_size:
            break
        if token not in seen:
            tokens.append(token)
            seen.add(token)

    tok = Tokenizer(
        models.WordPiece({t: i for i, t in enumerate(tokens)}, unk_token="[UNK]", max_input_chars_per_word=100)
    )
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoders.WordPiece(prefix="##")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0",
        pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[("[CLS]", tokens.index("[CLS]")), ("[SEP]", tokens.index("[SEP]"))],
    )
    return BertTokenizerFast(
        tokenizer_object=tok,
        do_lower_case=True,
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
        model_max_length=MAX_POSITIONS,
    )


def _bert_config(vocab_size: int, **extra):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=HIDDEN_SIZE,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=MAX_POSITIONS,
        type_vocab_size=2,
        pad_token_id=0,
        # Wider than BERT's 0.02, so that random scores differ well above float noise
        # (at 0.02 the cross-encoder gives ~0.4994 for every pair, ranking by rounding).
        initializer_range=0.2,
        **extra,
    )


@contextlib.contextmanager
def _no_progress_bars():
    """Hide transformers' per-save/per-load progress bars while building, then restore them."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def _save_hf_model(model_cls, corpus: list[str], out_dir: Path, seed: int, **config_extra) -> None:
    """Train the tokenizer, build ``model_cls`` with seeded random weights, save both to ``out_dir``."""
    import torch

    tokenizer = _train_tokenizer(corpus)
    config = _bert_config(len(tokenizer), **config_extra)
    # fork_rng: seed the weights without disturbing the caller's global torch RNG state.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = model_cls(config)
    model.eval()
    model.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))


def build_sentence_transformer(path: Path, corpus: list[str], *, seed: int = 0) -> Path:
    """Write a tiny SentenceTransformer (BERT + mean pooling, dimension 32) to ``path``.

    Load it with ``SentenceTransformer(str(path), device="cpu", local_files_only=True)``.
    """
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertModel

    path = Path(path)
    with _no_progress_bars(), tempfile.TemporaryDirectory(prefix="tiny-bert-") as tmp:
        _save_hf_model(BertModel, corpus, Path(tmp), seed)
        transformer = Transformer(tmp, max_seq_length=MAX_POSITIONS)
        pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
        model = SentenceTransformer(modules=[transformer, pooling], device="cpu", local_files_only=True)
        model.save(str(path), create_model_card=False)
    return path


def build_cross_encoder(path: Path, corpus: list[str], *, seed: int = 0) -> Path:
    """Write a tiny CrossEncoder (BertForSequenceClassification, one label) to ``path``.

    Load it with ``CrossEncoder(str(path), device="cpu", local_files_only=True)``; ``predict``
    gives one float in (0, 1) per pair (the default sigmoid activation for one label).
    """
    from sentence_transformers import CrossEncoder
    from transformers import BertForSequenceClassification

    path = Path(path)
    with _no_progress_bars(), tempfile.TemporaryDirectory(prefix="tiny-bert-ce-") as tmp:
        _save_hf_model(BertForSequenceClassification, corpus, Path(tmp), seed + 1, num_labels=1)
        model = CrossEncoder(tmp, device="cpu", local_files_only=True, max_length=MAX_POSITIONS)
        model.save(str(path), create_model_card=False)
    return path


CHAT_TEMPLATE = (
    "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}[assistant] {% endif %}"
)


def build_causal_lm(path: Path, corpus: list[str], *, seed: int = 0) -> Path:
    """A tiny Llama (random weights, ~100k parameters) with a chat template, saved so that
    ``AutoModelForCausalLM.from_pretrained(path)`` and llama-index's ``HuggingFaceLLM`` load it.
    Its output is noise: it exercises the `transformers:` loading and generation path only."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    bert = _train_tokenizer(corpus)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bert.backend_tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        bos_token="[CLS]",
        eos_token="[SEP]",
        model_max_length=4096,
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=4096,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    path.mkdir(parents=True, exist_ok=True)
    with _no_progress_bars(), torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = LlamaForCausalLM(config)
        model.eval()
        model.save_pretrained(str(path))
        tokenizer.save_pretrained(str(path))
    return path
