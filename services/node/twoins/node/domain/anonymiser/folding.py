"""Text folded to lower-case ASCII (Greek and accents transliterated), with a map back."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from twoins.node.domain.anonymiser.patterns import trie_pattern


@lru_cache(maxsize=65536)
def fold_char(character: str) -> str:
    if character in "\u00a0\u202f\n\t":
        return " "
    return anyascii(character).lower()


# What fold_char does to ASCII, as one table: lower case, tabs and line breaks as spaces.
_ASCII_FOLD = str.maketrans({"\n": " ", "\t": " "})
# A run of ASCII, or one other character.
_ASCII_RUN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]", re.DOTALL)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    if text.isascii():
        return text.lower().translate(_ASCII_FOLD)
    return "".join(fold_char(character) for character in unicodedata.normalize("NFC", text))


@dataclass(frozen=True)
class FoldedText:
    """`folded` is `text` folded; `origin[i]` is the index in `text` of folded character i."""

    text: str
    folded: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        if text.isascii():
            return cls(text, text.lower().translate(_ASCII_FOLD), tuple(range(len(text) + 1)))
        parts: list[str] = []
        origin: list[int] = []
        for run in _ASCII_RUN.finditer(text):
            value, start = run.group(), run.start()
            if value.isascii():
                parts.append(value.lower().translate(_ASCII_FOLD))
                origin.extend(range(start, run.end()))
                continue
            folded = fold_char(value)
            parts.append(folded)
            origin.extend([start] * len(folded))
        origin.append(len(text))
        return cls(text, "".join(parts), tuple(origin))

    def find_any(self, needles: tuple[str, ...]) -> list[tuple[int, int]]:
        """Every occurrence of any of the folded `needles` as whole words, overlapping ones
        included, as (start, end) in `text`: one search however many needles."""
        pattern = _needles_pattern(needles)
        if pattern is None:
            return []
        found = []
        position = 0
        while (match := pattern.search(self.folded, position)) is not None:
            found.append((self.origin[match.start()], self.origin[match.end() - 1] + 1))
            position = match.start() + 1
        return found


@lru_cache(maxsize=4096)
def _needles_pattern(needles: tuple[str, ...]) -> re.Pattern[str] | None:
    folded = {re.sub(r"\s+", " ", fold(needle).strip()) for needle in needles}
    folded = {needle for needle in folded if len(needle) >= 2}
    if not folded:
        return None
    # Longer needles first where one starts another (the trie's order); spaces as any run.
    words = trie_pattern(sorted(folded)).replace("\\ ", r"\s+")
    return re.compile(r"(?<![a-z0-9])" + words + r"(?![a-z0-9])")


@lru_cache(maxsize=4096)
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern built from data (a name, a number), compiled once however many texts use it
    (the `re` module's own cache holds too few for a scrubber's patterns)."""
    return re.compile(pattern, flags)
