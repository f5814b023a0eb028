"""Character and word tokenizers with a fixed vocabulary that travels with the weights.

The vocabulary is a plain list of strings stored as JSON in the safetensors metadata, so a
model file alone can decode its samples (no pickles).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

UNK = "<unk>"
NEWLINE = "\n"
WORD = re.compile(r"\w+|[^\w\s]|\n")
SPACE_BEFORE = re.compile(r" ([.,;:!?)\]}'])")


def tokenize(text: str, level: str, lowercase: bool = False) -> list[str]:
    """Characters, or words and punctuation marks; line breaks are tokens in both."""
    if lowercase:
        text = text.lower()
    return list(text) if level == "char" else WORD.findall(text)


@dataclass
class Vocabulary:
    tokens: list[str]
    level: str
    lowercase: bool = False

    def __post_init__(self) -> None:
        self.index = {token: i for i, token in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and (self.tokens, self.level, self.lowercase) == (
            other.tokens, other.level, other.lowercase)

    @classmethod
    def build(cls, tokens: Iterable[str], level: str, lowercase: bool,
              max_size: int) -> Vocabulary:
        """The `max_size` most frequent tokens (ties by first appearance), plus <unk> when some
        tokens are left out."""
        counts = Counter(tokens)
        kept = [t for t, _ in counts.most_common(max_size)]
        if len(kept) < len(counts):
            kept = [t for t, _ in counts.most_common(max_size - 1)] + [UNK]
        return cls(kept, level, lowercase)

    @classmethod
    def numbered(cls, size: int) -> Vocabulary:
        """Tokens '0'..'size-1': the synthetic oracle's vocabulary."""
        return cls([str(i) for i in range(size)], "word")

    def encode(self, tokens: list[str]) -> list[int]:
        unk = self.index.get(UNK)
        return [self.index.get(t, unk) for t in tokens if t in self.index or unk is not None]

    def unknown(self, tokens: Iterable[str]) -> list[str]:
        return [t for t in tokens if t not in self.index]

    def line(self, ids: list[int]) -> list[int]:
        """`ids` up to their first line break: one line of a `--unit line` model."""
        end = self.index.get(NEWLINE)
        return ids[: ids.index(end)] if end in ids else ids

    def decode(self, ids: Iterable[int]) -> str:
        """Readable text on one line: line-break tokens are shown as a pilcrow."""
        words = [self.tokens[i] for i in ids]
        if self.level == "char":
            return "".join(words).replace(NEWLINE, "¶")
        text = " ".join("¶" if w == NEWLINE else w for w in words)
        return SPACE_BEFORE.sub(r"\1", text)

    def to_json(self) -> str:
        return json.dumps({"tokens": self.tokens, "level": self.level,
                           "lowercase": self.lowercase}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        """The vocabulary `to_json` wrote; ValueError for anything else, so that loading
        weights names the file it came from."""
        try:
            data = json.loads(text)
            return cls(list(data["tokens"]), data["level"], bool(data["lowercase"]))
        except (ValueError, KeyError, TypeError):
            raise ValueError("its vocabulary is unreadable") from None
