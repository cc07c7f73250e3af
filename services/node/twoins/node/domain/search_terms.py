"""The terms a catalogue entry is found by, and the ones a query looks for, in the network's
languages.

A text is indexed by its words (case and accents folded) and by their Snowball stems in the
text's language: the language its common words show, or else the languages the entry
declares. A query's language is not known, so each of its words is looked for as itself and
as its stem in every network language: "vins", "vini" and "vinos" all find "vino" and "vini",
"exports" finds "exporting", "εξαγωγες" finds "εξαγωγές". Maltese has no Snowball stemmer; its
words are found as written (accents folded).
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable

import Stemmer

#: The network's languages with a Snowball stemmer, by ISO 639-1 code.
STEMMERS = {
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "it": "italian",
}

#: The most frequent words of each network language: enough to tell the language of a
#: description, not of a three-word title (the declared languages decide then).
_COMMON_WORDS = {
    "el": "και το της την του στο με για που να από τα σε των ένα μια είναι στην τις οι",
    "en": "the and of to in for with is are on that by from this we our an as be",
    "es": "el la de que y en los del las por para con una un es se al su nuestra",
    "fr": "le la les de des et du en un une pour dans est sur avec que au nous par",
    "it": "il la di che e per un una del della dei con le nel sono alla gli da al",
    "mt": "il tal ta u li fil minn għal ma bil huwa hija dan din kien biex lil tagħna ser",
}
_COMMON = {
    language: frozenset(word.casefold() for word in words.split())
    for language, words in _COMMON_WORDS.items()
}
_WORD = re.compile(r"\w+")
_MIN_COMMON_HITS = 2
_local = threading.local()


@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Case folded, accents dropped: "Exportación" -> "exportacion", "Εξαγωγές" ->
    "εξαγωγεσ" (case folding writes every sigma alike)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stemmer(language: str) -> Stemmer.Stemmer | None:
    """This thread's stemmer for the language (PyStemmer's are not thread-safe)."""
    algorithm = STEMMERS.get(language)
    if algorithm is None:
        return None
    stemmers: dict[str, Stemmer.Stemmer] = getattr(_local, "stemmers", None) or {}
    _local.stemmers = stemmers
    if algorithm not in stemmers:
        stemmers[algorithm] = Stemmer.Stemmer(algorithm)
    return stemmers[algorithm]


def words(text: str) -> list[str]:
    """The text's words of two letters or more, lower case, accents kept."""
    return [word for word in _WORD.findall(text.casefold()) if len(word) > 1]


def text_language(found: list[str], declared: Iterable[str] = ()) -> tuple[str, ...]:
    """The language(s) to stem a text in: the one whose common words it uses most (at least
    two of them), else the declared ones."""
    counts = Counter(found)
    hits = {
        language: sum(counts[word] for word in common.intersection(counts))
        for language, common in _COMMON.items()
    }
    best = max(hits, key=lambda language: hits[language])
    if hits[best] >= _MIN_COMMON_HITS:
        return (best,)
    return tuple(declared)


def _stems(found: Iterable[str], language: str) -> list[str]:
    stemmer = _stemmer(language)
    if stemmer is None:
        return []
    return [fold(stem) for stem in stemmer.stemWords(list(found))]


def document_terms(text: str, declared_languages: Iterable[str] = ()) -> frozenset[str]:
    """What an entry is found by: its folded words and their stems in its language."""
    found = words(text)
    distinct = list(dict.fromkeys(found))
    terms = set(map(fold, distinct))
    for language in text_language(found, declared_languages):
        terms.update(_stems(distinct, language))
    return frozenset(terms)


def query_alternatives(query: str) -> list[frozenset[str]]:
    """For each word of the query, the terms any one of which finds it: the word folded and
    its stem in every network language. An entry matches a query when it has one term of
    every word's alternatives."""
    found = list(dict.fromkeys(words(query)))
    stems = [_stems(found, language) for language in STEMMERS]
    return [
        frozenset({fold(word), *(per_language[index] for per_language in stems)})
        for index, word in enumerate(found)
    ]
