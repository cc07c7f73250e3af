"""Text folded to lower-case ASCII (Greek and accents transliterated), with a map back."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii


@lru_cache(maxsize=65536)
def fold_char(character: str) -> str:
    if character in "\u00a0\u202f\n\t":
        return " "
    return anyascii(character).lower()


def fold(text: str) -> str:
    return "".join(fold_char(character) for character in unicodedata.normalize("NFC", text))


@dataclass(frozen=True)
class FoldedText:
    """`folded` is `text` folded; `origin[i]` is the index in `text` of folded character i."""

    text: str
    folded: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        parts: list[str] = []
        origin: list[int] = []
        for index, character in enumerate(text):
            folded = fold_char(character)
            parts.append(folded)
            origin.extend([index] * len(folded))
        origin.append(len(text))
        return cls(text, "".join(parts), tuple(origin))

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """Every occurrence of the folded `needle` as whole words, as (start, end) in `text`."""
        folded_needle = re.sub(r"\s+", " ", fold(needle).strip())
        if len(folded_needle) < 2:
            return []
        pattern = re.compile(
            r"(?<![a-z0-9])" + re.escape(folded_needle).replace(r"\ ", r"\s+") + r"(?![a-z0-9])"
        )
        found = []
        for match in pattern.finditer(self.folded):
            start = self.origin[match.start()]
            end = self.origin[match.end() - 1] + 1
            found.append((start, end))
        return found
