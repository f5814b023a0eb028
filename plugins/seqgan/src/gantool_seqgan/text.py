"""Reading the user's text: files or folders, train/reference splits, fixed-length sequences.

A folder holding `train/` (and optionally `reference/`) uses those splits, as the recipes write
them, and so does one holding `train.txt` and `test.txt` (the text-GAN benchmarks' layout).
Any other file or folder is split by lines: every tenth line goes to the reference split, so
both splits cover the whole text. Sequences are consecutive windows of the token stream, or
(`--unit line`) the lines themselves, each ended and padded by the line break.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import torch

from gantool.errors import GantoolError
from gantool_seqgan.vocab import NEWLINE, Vocabulary, tokenize

REFERENCE_EVERY = 10


def text_files(path: Path) -> list[Path]:
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise GantoolError(f"--data {path} does not exist; give a UTF-8 text file or folder")
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if not files:
        raise GantoolError(f"--data {path} holds no files; give a UTF-8 text file or folder")
    return files


def read_text(path: Path) -> str:
    """All files of `path` as one string, refusing binary and non-UTF-8 files."""
    parts = []
    for file in text_files(path):
        raw = file.read_bytes()
        if b"\x00" in raw:
            raise GantoolError(f"{file} is a binary file, not text; give UTF-8 text files")
        try:
            parts.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise GantoolError(f"{file} is not UTF-8 text (byte {exc.start}); convert it with "
                               "iconv or give another file") from None
    text = "\n".join(p.strip("\n") for p in parts)
    if not text.strip():
        raise GantoolError(f"--data {path} is empty; give a file with text in it")
    return text


@dataclass
class Splits:
    train: str
    reference: str
    source: Path


def load_splits(path: Path) -> Splits:
    path = Path(path)
    if (path / "train.txt").is_file() and (path / "test.txt").is_file():
        return Splits(read_text(path / "train.txt"), read_text(path / "test.txt"), path)
    if (path / "train").is_dir():
        reference = read_text(path / "reference") if (path / "reference").is_dir() else ""
        return Splits(read_text(path / "train"), reference, path)
    lines = read_text(path).splitlines()
    train = [line for i, line in enumerate(lines) if i % REFERENCE_EVERY != REFERENCE_EVERY - 1]
    reference = [line for i, line in enumerate(lines) if i % REFERENCE_EVERY == REFERENCE_EVERY - 1]
    return Splits("\n".join(train), "\n".join(reference), path)


def windows(ids: list[int], length: int, limit: int = 0) -> torch.Tensor:
    """Consecutive non-overlapping windows of `length` ids, (N, length)."""
    count = len(ids) // length
    if limit:
        count = min(count, limit)
    return torch.tensor(ids[: count * length], dtype=torch.long).view(count, length)


def sequences(text: str, vocab: Vocabulary, length: int, limit: int = 0,
              what: str = "the training text") -> torch.Tensor:
    """The windows of `text`; refuses text shorter than one sequence."""
    ids = vocab.encode(tokenize(text, vocab.level, vocab.lowercase))
    if len(ids) < length:
        raise GantoolError(f"{what} has {len(ids)} {vocab.level} tokens, fewer than one "
                           f"sequence of --seq-len {length}; give more text or a shorter "
                           "--seq-len")
    return windows(ids, length, limit)


def line_sequences(text: str, vocab: Vocabulary, length: int, limit: int = 0,
                   what: str = "the training text") -> torch.Tensor:
    """One row per non-empty line: its tokens, then the line break, padded with line breaks
    to `length` (N, length). Longer lines are cut to `length`, with a notice saying how many."""
    end = vocab.index[NEWLINE]
    rows, cut, longest = [], 0, 0
    for line in text.splitlines():
        ids = vocab.encode(tokenize(line, vocab.level, vocab.lowercase))
        if not ids:
            continue
        longest = max(longest, len(ids) + 1)
        if len(ids) >= length:
            cut += 1
        rows.append((ids + [end] * length)[:length])
        if limit and len(rows) == limit:
            break
    if not rows:
        raise GantoolError(f"{what} has no line with a token the model knows; give text")
    if cut:
        print(f"notice: {cut} of the {len(rows)} lines of {what} have {length} or more tokens "
              f"(the longest: {longest} with its end); they were cut to --seq-len {length} "
              f"(pass --seq-len {longest} to keep them whole)", file=sys.stderr)
    return torch.tensor(rows, dtype=torch.long)


def check_coverage(text: str, vocab: Vocabulary, source: Path, limit: float = 0.5) -> None:
    """Refuse text mostly made of tokens the model has never seen (another language or
    tokenizer level): its scores would say nothing about the model."""
    tokens = tokenize(text, vocab.level, vocab.lowercase)
    if not tokens:
        return
    unknown = len(vocab.unknown(tokens)) / len(tokens)
    if unknown > limit:
        raise GantoolError(f"vocabulary mismatch: {unknown:.0%} of the {vocab.level} tokens of "
                           f"{source} are not in the model's vocabulary ({len(vocab)} tokens); "
                           "use text like the model's training data")
