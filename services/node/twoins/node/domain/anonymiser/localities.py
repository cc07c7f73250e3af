"""Towns and villages below NUTS 2 named in free text: a quasi-identifier, generalised.

The structured fields say only the NUTS 2 region (or the country); "azienda vinicola di
Venosa" beside them says far more. A `Localities` holds the names of the places of the
partner regions (filled by the node from a maintained place-name package) and finds them in
a text: written with a capital as place names are, in any accent, one to six words long
("Rionero in Vulture", "Sant Antoni de Portmany"). A name that is also a common first name
or word ("Tito", "Massa", "Rotonda") counts only after a word that says a place follows
("a", "vicino a", "near", "près de", "κοντά στο"), and so does any name at the start of a
sentence. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from twoins.node.domain.anonymiser.folding import fold
from twoins.node.domain.anonymiser.spans import Span

PLACEHOLDER = "[locality]"
MAX_WORDS = 6
# Words of a place name: capitalised words and the particles between them.
_WORD = re.compile(r"[^\W\d_]+(?:['’·-][^\W\d_]+)*", re.UNICODE)
_PARTICLES = frozenset(
    (
        "de",
        "di",
        "da",
        "del",
        "della",
        "dei",
        "des",
        "du",
        "d",
        "la",
        "le",
        "les",
        "l",
        "el",
        "en",
        "in",
        "sur",
        "sous",
        "sul",
        "sulla",
        "y",
        "i",
        "e",
        "et",
        "sa",
        "s",
        "es",
        "ses",
        "na",
        "ta",
        "tal",
        "il",
        "is",
        "it",
        "ix",
        "iz",
        "l-",
        "d'en",
        "d'na",
    )
)
# Words after which a place name follows.
_LOCATIVE = re.compile(
    r"(?:\b(?:a|ad|in|at|near|from|of|to|di|da|vicino a|presso|sede a|à|au|en|près de|de|"
    r"cerca de|desde|ħdejn|f'|minn|fi|στη|στην|στο|στον|από|κοντά στη|κοντά στο)\s+|\()$",
    re.IGNORECASE,
)

# A capital at the start of a sentence says nothing: "Rotonda bella" there needs a locative.
_SENTENCE_END = re.compile(r"[.!?:;\n][\s\"'«(]*$")


def _starts_sentence(text: str, position: int) -> bool:
    before = text[max(0, position - 4) : position]
    return not before.strip(" \"'«(") if position <= 4 else _SENTENCE_END.search(before) is not None


def _capitalised(word: str) -> bool:
    """Venosa, and d'Alcúdia, s'Arenal, il-Baħar: a particle joined to a name."""
    if word[0].isupper():
        return True
    if "'" not in word and "’" not in word and "-" not in word:
        return False
    head, _, rest = _joined(word)
    return bool(rest) and len(head) <= 3 and rest[0].isupper()


def _joined(word: str) -> tuple[str, str, str]:
    match = re.match(r"([^\W\d_]+)(['’-])(.*)", word)
    return (match.group(1), match.group(2), match.group(3)) if match else (word, "", "")


@cache
def _first_words(names: frozenset[str]) -> frozenset[str]:
    return frozenset(_WORD.findall(name)[0] for name in names if _WORD.findall(name))


@dataclass(frozen=True)
class Localities:
    """Place names, folded, and which of them need a locative word before them."""

    names: frozenset[str] = field(default=frozenset())
    ambiguous: frozenset[str] = field(default=frozenset())

    @classmethod
    def of(cls, names: Iterable[str], common_words: Iterable[str] = ()) -> Localities:
        """From place names as written; `common_words` (folded) are words and first names
        that a place may also be called."""
        folded = {fold(name).strip() for name in names}
        folded = {name for name in folded if len(name) >= 3}
        common = set(common_words)
        ambiguous = {name for name in folded if name in common or len(name) <= 4}
        return cls(frozenset(folded), frozenset(ambiguous))

    def __bool__(self) -> bool:
        return bool(self.names)

    @property
    def _first_words(self) -> frozenset[str]:
        # What a name's first word is: most capitalised words are not, and are passed over.
        return _first_words(self.names)

    def find(self, text: str) -> Iterator[Span]:
        """Every place name of the set in `text`, longest first at each position."""
        if not self.names:
            return
        first_words = self._first_words
        words = list(_WORD.finditer(text))
        values = [word.group() for word in words]
        capitalised = [_capitalised(value) for value in values]
        # Folded where it may start or end a name; particles are compared in lower case.
        folded = [
            fold(value) if capital else value.lower()
            for value, capital in zip(values, capitalised, strict=True)
        ]
        index = 0
        while index < len(words):
            word = words[index]
            # A name starts capitalised, or with its article: "sa Pobla", "es Castell".
            article = not capitalised[index]
            if (article and folded[index] not in _PARTICLES) or folded[index] not in first_words:
                index += 1
                continue
            found = 0
            for count in range(min(MAX_WORDS, len(words) - index), 1 if article else 0, -1):
                last = words[index + count - 1]
                if not capitalised[index + count - 1]:
                    continue  # a name ends on a capitalised word, not a particle
                if count > 1 and not self._joinable(text, words, folded, capitalised, index, count):
                    continue
                name = fold(text[word.start() : last.end()]) if count > 1 else folded[index]
                if name in self.names and (
                    (name not in self.ambiguous and not _starts_sentence(text, word.start()))
                    or _LOCATIVE.search(text, max(0, word.start() - 16), word.start())
                ):
                    found = count
                    break
            if found:
                yield Span(word.start(), words[index + found - 1].end(), "LOCALITY")
                index += found
                continue
            index += 1

    @staticmethod
    def _joinable(
        text: str,
        words: list[re.Match[str]],
        folded: list[str],
        capitalised: list[bool],
        index: int,
        count: int,
    ) -> bool:
        """Whether words index..index+count-1 may make one name: on one line, without
        punctuation between them, the inner lower-case ones particles."""
        for offset in range(1, count):
            between = text[words[index + offset - 1].end() : words[index + offset].start()]
            if between not in (" ", "\u00a0", "-", "'", "’", "' ", "’ "):
                return False
            if not capitalised[index + offset] and folded[index + offset] not in _PARTICLES:
                return False
        return True

    def generalise(self, text: str) -> str:
        """`text` with every place name of the set replaced by the placeholder."""
        parts: list[str] = []
        position = 0
        for span in self.find(text):
            parts.append(text[position : span.start])
            parts.append(PLACEHOLDER)
            position = span.end
        parts.append(text[position:])
        return "".join(parts)
