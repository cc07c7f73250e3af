"""Views of a text in which identifiers written to be hard to read look as they should.

People break identifiers across lines, double their spaces, write Unicode look-alikes
(full-width digits, non-breaking spaces) or dodge harvesters ("name dot surname at firm dot
com", "name [at] firm . it", "name @ firm.it"). Each view rewrites the text so that the
ordinary detectors find them, and keeps, for every character it writes, the position of the
original character it stands for, so that a span found in the view maps back to the original
text exactly. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from twoins.node.domain.anonymiser.spans import Span


@dataclass(frozen=True)
class View:
    """A rewritten text and, for each of its characters, where it came from."""

    text: str
    #: origins[i] is the index in the original text of the view's character i;
    #: origins[len(text)] is the original's length.
    origins: tuple[int, ...]

    def original(self, span: Span) -> Span:
        """The span of the original text that `span` of the view covers."""
        start = self.origins[span.start]
        last = self.origins[span.end - 1] if span.end > span.start else start
        return Span(start, last + 1, span.label)


def _replaced(text: str, replacements: Iterable[tuple[int, int, str]]) -> View:
    """`text` with each (start, end, written) replaced, in order and not overlapping; the
    characters written stand for the replaced run's first character, the last for its last."""
    parts: list[str] = []
    origins: list[int] = []
    position = 0
    for start, end, written in replacements:
        parts.append(text[position:start])
        origins.extend(range(position, start))
        parts.append(written)
        last = max(start, end - 1)
        origins.extend([start] * (len(written) - 1) + [last] * min(1, len(written)))
        position = end
    parts.append(text[position:])
    origins.extend(range(position, len(text) + 1))
    return View("".join(parts), tuple(origins))


def _rewrite(
    text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]
) -> View:
    """`text` with every match of `pattern` that `replace` rewrites (None: not this one; the
    search goes on from its next character, so a shorter match inside it is not lost)."""
    replacements = []
    position = 0
    while (match := pattern.search(text, position)) is not None:
        written = replace(match)
        if written is None:
            position = match.start() + 1
            continue
        replacements.append((match.start(), match.end(), written))
        position = max(match.end(), match.start() + 1)
    return _replaced(text, replacements)


def _compose(first: View, second: View) -> View:
    """`second` (a view of first.text) as a view of the original text."""
    return View(second.text, tuple(first.origins[index] for index in second.origins))


def compatibility_view(text: str) -> View:
    """NFKC per character (full-width digits and letters, ligatures, look-alike spaces), so
    that every position still maps to one original character."""
    parts: list[str] = []
    origins: list[int] = []
    for index, character in enumerate(text):
        folded = unicodedata.normalize("NFKC", character) if ord(character) > 127 else character
        if character in "\u00a0\u202f\u2007\u2009":
            folded = " "
        parts.append(folded)
        origins.extend([index] * len(folded))
    origins.append(len(text))
    return View("".join(parts), tuple(origins))


_SPACE_RUN = re.compile(r"[ \t\r\n\u00a0\u202f\u2007\u2009]{2,}|[\t\r\n\u00a0\u202f]")


def layout_view(text: str) -> View:
    """Every run of white space, line breaks included, as one space."""
    return _rewrite(text, _SPACE_RUN, lambda _match: " ")


# "[at]", "(at)", " at ", " AT ", " @ ", "＠" (the compatibility view makes it "@").
_AT = re.compile(
    r"\s*[\[({<]\s*(?:at|@|chiocciola|arobase|arroba|παπάκι)\s*[\])}>]\s*|\s+(?:at|AT)\s+|\s+@\s*|\s*@\s+",
)
_DOT = re.compile(
    r"\s*[\[({<]\s*(?:dot|punto|point|punt|τελεία|\.)\s*[\])}>]\s*|\s+(?:dot|DOT|punto|point)\s+|"
    r"\s+\.\s*|\s*\.\s+(?=[a-z]{2,6}\b)",
)
# Only where an "@" (or its spelling) sits between a local part and a domain-like tail.
_MAILISH = re.compile(
    r"[A-Za-z0-9][\w.%+-]*(?:\s*(?:[\[({<]\s*)?(?:dot|punto|point|\.)(?:\s*[\])}>])?\s*[\w%+-]+)*"
    r"(?:\s*[\[({<]\s*(?:at|@|chiocciola|arobase|arroba)\s*[\])}>]\s*|\s+(?:at|AT)\s+|\s*@\s*)"
    r"[A-Za-z0-9][\w-]*(?:\s*(?:[\[({<]\s*(?:dot|punto|point|\.)\s*[\])}>]|\s+(?:dot|DOT|punto|point)\s+|\s*\.\s*)[A-Za-z0-9][\w-]*)+",
)


_BRACKETED = re.compile(
    r"[\[({<]\s*(?:at|@|dot|\.|chiocciola|arobase|arroba|punto|point)\s*[\])}>]"
)
_SPELLED_AT = re.compile(r"\s(?:at|AT)\s")
_SPELLED_DOT = re.compile(r"\s(?:dot|DOT|punto|point)\s")


def _unmask_address(match: re.Match[str]) -> str | None:
    value = match.group()
    # "online at www.firm.it" is a web site, not an address: a spelled "at" counts only with
    # a spelled dot, a bracketed form or an "@" spaced apart.
    if not (
        "@" in value
        or _BRACKETED.search(value)
        or (_SPELLED_AT.search(value) and _SPELLED_DOT.search(value))
    ):
        return None
    return _DOT.sub(".", _AT.sub("@", value))


def mail_view(text: str) -> View:
    """E-mail addresses written to dodge harvesters, written plainly."""
    return _rewrite(text, _MAILISH, _unmask_address)


_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[·'’-](?=[^\W\d_]))*")


def name_case_view(
    text: str, is_first_name: Callable[[str], bool], is_last_name: Callable[[str], bool]
) -> View:
    """Names written in lower case or capitals ("marc bernard", "MARC BERNARD") in the case
    names are written in: a first name and the word after it, both in the same case, the
    second a known surname when they are in lower case (many first names are also words)."""
    words = list(_WORD.finditer(text))
    replacements = []
    index = 0
    while index < len(words):
        word = words[index].group()
        following = words[index + 1] if index + 1 < len(words) else None
        pair = (
            following is not None
            and text[words[index].end() : following.start()] == " "
            and is_first_name(word)
            and (
                (word.isupper() and following.group().isupper() and len(word) > 1)
                or (
                    # Short words ("di", "be", "να") are words first, names seldom.
                    word.islower()
                    and following.group().islower()
                    and len(word) >= 3
                    and len(following.group()) >= 4
                    and is_last_name(following.group())
                )
            )
        )
        if pair and following is not None:
            run = [words[index], following]
            for match in run:
                value = match.group()
                written = value[:1].upper() + value[1:].lower()
                if len(written) == len(value):
                    replacements.append((match.start(), match.end(), written))
            index += len(run)
            continue
        index += 1
    return _replaced(text, replacements)


def views(text: str) -> Iterator[View]:
    """The views worth searching besides the text itself."""
    compatible = compatibility_view(text)
    laid_out = _compose(compatible, layout_view(compatible.text))
    yield compatible
    yield laid_out
    yield _compose(laid_out, mail_view(laid_out.text))


def find_in_views(text: str, detectors: Iterable[Callable[[str], Iterable[Span]]]) -> list[Span]:
    """What each detector finds in every view, mapped back to the original text."""
    found: list[Span] = []
    for view in views(text):
        if view.text == text:
            continue
        for detect in detectors:
            found.extend(view.original(span) for span in detect(view.text))
    return found
