"""Regular expressions built from word lists, fast to search however long the list.

An alternation of a few hundred words ("contact|contact person|referente|…") is tried word
by word at every position of a text; the same words as a trie ("contact(?: person)?|
referente|…", branches by their first characters) reject a position at its first letter.
The matches are the same, longer words first where one is the start of another. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_END = ""


def trie_pattern(words: Iterable[str]) -> str:
    """A non-capturing group matching exactly the given words (literally)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[_END] = True
    if not trie:
        return "(?!)"
    return f"(?:{_branches(trie)})"


def _branches(node: dict[str, Any]) -> str:
    alternatives = [
        re.escape(character) + _branches(child)
        for character, child in sorted(node.items())
        if character != _END
    ]
    if not alternatives:
        return ""
    optional = _END in node
    if len(alternatives) == 1 and not optional:
        return alternatives[0]
    group = "(?:" + "|".join(alternatives) + ")"
    return group + "?" if optional else group
