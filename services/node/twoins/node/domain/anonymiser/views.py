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


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LOOK_ALIKE_SPACES = "\u00a0\u202f\u2007\u2009"


def compatibility_view(text: str) -> View:
    """NFKC per character (full-width digits and letters, ligatures, look-alike spaces), so
    that every position still maps to one original character."""
    replacements = []
    for match in _NON_ASCII.finditer(text):
        character = match.group()
        written = (
            " " if character in _LOOK_ALIKE_SPACES else unicodedata.normalize("NFKC", character)
        )
        if written != character:
            replacements.append((match.start(), match.end(), written))
    if not replacements:
        return View(text, tuple(range(len(text) + 1)))
    return _replaced(text, replacements)


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
    r"[A-Za-z0-9][\w-]*(?:\s*(?:[\[({<]\s*(?:dot|punto|point|\.)\s*[\])}>]|\s+(?:dot|DOT|punto|point)\s+|\s*\.\s*)[A-Za-z0-9][\w-]*)+"
    # Not where another "at" follows: "Joseph at j dot caruana at firm dot com" is a name,
    # then the address.
    r"(?![\w-])(?!\s*[\[({<]?\s*(?:at|AT|@)\b)",
)


_BRACKETED = re.compile(
    r"[\[({<]\s*(?:at|@|dot|\.|chiocciola|arobase|arroba|punto|point)\s*[\])}>]"
)
_SPELLED_AT = re.compile(r"\s(?:at|AT)\s")
_SPELLED_DOT = re.compile(r"\s(?:dot|DOT|punto|point)\s")


_SEPARATOR = re.compile(f"(?P<at>{_AT.pattern})|(?P<dot>{_DOT.pattern})")


def _is_obfuscated_address(value: str) -> bool:
    # "online at www.firm.it" is a web site, not an address: a spelled "at" counts only with
    # a spelled dot, a bracketed form or an "@" spaced apart.
    return bool(
        "@" in value
        or _BRACKETED.search(value)
        or (_SPELLED_AT.search(value) and _SPELLED_DOT.search(value))
    )


def mail_view(text: str) -> View:
    """E-mail addresses written to dodge harvesters, written plainly: each spelled or spaced
    "@" and "." becomes the character, the rest keeps its own positions."""
    replacements: list[tuple[int, int, str]] = []
    position = 0
    # Searched only near an "@" or its spelling: the pattern is costly where there is none.
    for marker in _AT_MARKER.finditer(text):
        if marker.start() < position:
            continue
        position = max(position, marker.start() - _LOCAL_PART_LIMIT)
        _unmask_near(text, position, marker.end(), replacements)
        if replacements:
            position = max(position, replacements[-1][1])
    return _replaced(text, replacements)


#: The longest local part (and its spelled-out dots) searched for before an "@".
_LOCAL_PART_LIMIT = 80
#: The longest domain (and its spelled-out dots) searched for after it.
_DOMAIN_LIMIT = 120
_AT_MARKER = re.compile(
    r"@|＠|[\[({<]\s*(?:at|@|chiocciola|arobase|arroba|παπάκι)\s*[\])}>]|\s(?:at|AT)\s"
)


def _unmask_near(
    text: str, start: int, marker_end: int, replacements: list[tuple[int, int, str]]
) -> None:
    """The obfuscated addresses that begin between `start` and the marker's end."""
    position = start
    end = min(len(text), marker_end + _DOMAIN_LIMIT)
    while (match := _MAILISH.search(text, position, end)) is not None:
        if match.start() >= marker_end:
            break
        if replacements and match.start() < replacements[-1][1]:
            position = match.start() + 1
            continue
        if not _is_obfuscated_address(match.group()):
            position = match.start() + 1
            continue
        for separator in _SEPARATOR.finditer(text, match.start(), match.end()):
            written = "@" if separator.group("at") is not None else "."
            if separator.group() != written:
                replacements.append((separator.start(), separator.end(), written))
        position = max(match.end(), match.start() + 1)


_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[·'’-](?=[^\W\d_]))*")


def _capitalised(value: str) -> str:
    return value[:1].upper() + value[1:].lower()


def name_case_view(
    text: str,
    is_first_name: Callable[[str], bool],
    is_last_name: Callable[[str], bool],
    follows_cue: Callable[[int], bool] = lambda _position: False,
) -> View:
    """Names written in lower case or capitals ("marc bernard", "MARC BERNARD", "bernard
    marc", "m. bernard", "M. BERNARD") in the case names are written in: a first name and a
    surname in either order, both in the same case, or an initial and a surname, with any
    further surnames of the same case ("catalina bauzà vidal"). In lower case every word must
    be on the name lists (many first names are also words), unless a cue that a person
    follows stands before them ("la mia collega francesca tataranni"); in capitals one of
    them."""
    words = list(_WORD.finditer(text))
    replacements: list[tuple[int, int, str]] = []

    def spaced(left: re.Match[str], right: re.Match[str]) -> bool:
        return text[left.end() : right.start()] == " "

    def initial(match: re.Match[str]) -> bool:
        # One letter followed by a full stop: "g.", "G.".
        return len(match.group()) == 1 and text[match.end() : match.end() + 1] == "."

    def same_case(left: str, right: str) -> bool:
        return (left.isupper() and right.isupper()) or (left.islower() and right.islower())

    def is_name_pair(first: str, second: str, position: int) -> bool:
        if not same_case(first, second) or min(len(first), len(second)) < 2:
            return False
        if first.isupper():
            return (is_first_name(first) and len(second) > 2) or (
                is_last_name(first) and is_first_name(second)
            )
        # Short words ("di", "be", "να") are words first, names seldom.
        return min(len(first), len(second)) >= 3 and (
            (
                is_first_name(first)
                and len(second) >= 4
                and (is_last_name(second) or follows_cue(position))
            )
            or (is_last_name(first) and is_first_name(second) and len(first) >= 4 <= len(second))
        )

    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        run: list[re.Match[str]] = []
        if (
            following is not None
            and initial(word)
            and text[word.end() + 1 : following.start()] == " "
        ):
            surname = following.group()
            if (surname.isupper() and len(surname) > 1) or (
                surname.islower() and len(surname) >= 4 and is_last_name(surname)
            ):
                run = [word, following]
        elif (
            following is not None
            and spaced(word, following)
            and is_name_pair(word.group(), following.group(), word.start())
        ):
            run = [word, following]
        if run:
            # Further surnames written the same way: "bauzà vidal", "RAMIS PONS".
            while index + len(run) < len(words):
                more = words[index + len(run)]
                value = more.group()
                if not (
                    spaced(run[-1], more)
                    and same_case(run[-1].group(), value)
                    and len(value) >= 3
                    and is_last_name(value)
                ):
                    break
                run.append(more)
            for match in run:
                value = match.group()
                if value.isupper() and value[1:] == "":
                    continue  # an initial already written as one
                written = _capitalised(value)
                if len(written) == len(value) and written != value:
                    replacements.append((match.start(), match.end(), written))
            index += len(run)
            continue
        index += 1
    return _replaced(text, replacements)


def views(text: str) -> Iterator[tuple[View, list[tuple[int, int]]]]:
    """The views worth searching besides the text itself, each with the stretches where it
    differs from the view it was made from (the text, then the view before it): what the
    view before already showed is not searched again."""
    compatible = compatibility_view(text)
    yield compatible, _rewritten_windows(text, compatible)
    spaced_out = layout_view(compatible.text)
    laid_out = _compose(compatible, spaced_out)
    yield laid_out, _rewritten_windows(compatible.text, spaced_out)
    unmasked = mail_view(laid_out.text)
    yield _compose(laid_out, unmasked), _rewritten_windows(laid_out.text, unmasked)


#: Characters searched on either side of a rewritten place: more than any identifier spans.
WINDOW_MARGIN = 120


def _rewritten_windows(text: str, view: View) -> list[tuple[int, int]]:
    """The stretches of `view` (a view of `text`), as (start, end), around every place it
    rewrote, merged; none when it rewrote nothing."""
    if view.text == text:
        return []
    windows: list[tuple[int, int]] = []
    expected = 0
    for index, character in enumerate(view.text):
        origin = view.origins[index]
        if origin != expected or text[origin] != character:
            start, end = max(0, index - WINDOW_MARGIN), index + WINDOW_MARGIN
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        expected = origin + 1
    if view.origins[len(view.text)] != expected and view.text:
        windows.append((max(0, len(view.text) - WINDOW_MARGIN), len(view.text)))
    length = len(view.text)
    return [(start, min(end, length)) for start, end in windows]


def find_in_views(text: str, detectors: Iterable[Callable[[str], Iterable[Span]]]) -> list[Span]:
    """What each detector finds in every view, mapped back to the original text. A view is
    searched only around the places it rewrote (an identifier is shorter than the margin),
    and what is found there is what the text alone would not show."""
    found: list[Span] = []
    detectors = list(detectors)
    for view, windows in views(text):
        for start, end in windows:
            window = view.text[start:end]
            for detect in detectors:
                found.extend(
                    view.original(Span(start + span.start, start + span.end, span.label))
                    for span in detect(window)
                )
    return found
