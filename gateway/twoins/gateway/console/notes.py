"""What the node and the monitor write for people, said in the reader's language: a need's
state note, a node's health reasons, the anonymiser's placeholders and the node's refusals,
each from its code (the contract's `Note`, the anonymiser's placeholder kinds, the refusal's
reason). A code this console does not know yet is shown through the English text the node
sent beside it, never hidden."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from twoins.gateway.problems import Problem
from twoins.v1 import common_pb2, need_pb2, network_health_pb2

# --- a need's state note (need.proto, Need.state_note) -------------------------------------

WIDENING_STEPS: dict[str, Any] = {
    "founding_decade_withheld": _l("founding decade withheld"),
    "sector_to_section": _l("sector widened to its NACE section"),
    "size_and_turnover_withheld": _l("size and turnover withheld"),
    "location_to_country": _l("location widened to the country"),
}
RESIDUAL_KINDS: dict[str, Any] = {
    "digits": _l("digits"),
    "e-mail": _l("an e-mail address"),
    "own name": _l("the SME's own name"),
}


def _number(params: Mapping[str, str], name: str) -> int:
    try:
        return int(params.get(name, "0"))
    except ValueError:
        return 0


def _listed(value: str, names: Mapping[str, Any]) -> str:
    return ", ".join(str(names.get(part, part)) for part in value.split(",") if part)


def _held_k_anonymity(params: Mapping[str, str]) -> str:
    count = _number(params, "matching_smes")
    return str(
        ngettext(
            "Held for review: only %(num)d SME of the region shares this need's sector, size, "
            "turnover, age and location, fewer than the %(k)d needed, even with every detail "
            "widened as far as it goes.",
            "Held for review: only %(num)d SMEs of the region share this need's sector, size, "
            "turnover, age and location, fewer than the %(k)d needed, even with every detail "
            "widened as far as it goes.",
            count,
            k=_number(params, "k"),
        )
    )


def _held_residuals(params: Mapping[str, str]) -> str:
    count = _number(params, "count")
    return str(
        ngettext(
            "Held for review: after scrubbing, %(num)d part of the text still looked like an "
            "identifier (%(kinds)s) and is withheld.",
            "Held for review: after scrubbing, %(num)d parts of the text still looked like "
            "identifiers (%(kinds)s) and are withheld.",
            count,
            kinds=_listed(params.get("kinds", ""), RESIDUAL_KINDS),
        )
    )


def _published_override(params: Mapping[str, str]) -> str:
    parts = []
    if "k" in params:
        parts.append(
            ngettext(
                "only %(num)d SME shares its profile (%(k)d needed)",
                "only %(num)d SMEs share its profile (%(k)d needed)",
                _number(params, "matching_smes"),
                k=_number(params, "k"),
            )
        )
    if "withheld" in params:
        parts.append(
            ngettext(
                "%(num)d part of its text is withheld",
                "%(num)d parts of its text are withheld",
                _number(params, "withheld"),
            )
        )
    return str(
        _(
            "Published by the cluster manager's decision although %(why)s: %(reason)s",
            why=_(" and ").join(parts),
            reason=params.get("reason", ""),
        )
    )


def _published_widened(params: Mapping[str, str]) -> str:
    return str(
        _(
            "Published with %(steps)s, so that %(count)s SMEs of the region share its profile "
            "(%(k)s needed).",
            steps=_listed(params.get("steps", ""), WIDENING_STEPS),
            count=format_decimal(_number(params, "matching_smes")),
            k=format_decimal(_number(params, "k")),
        )
    )


STATE_NOTES: dict[str, Callable[[Mapping[str, str]], str]] = {
    "HELD_K_ANONYMITY": _held_k_anonymity,
    "HELD_RESIDUALS": _held_residuals,
    "HELD_ANONYMISER_FAILED": lambda params: _(
        "Held for review: the anonymiser could not process this need's text, so nothing of it "
        "left the region. Edit the text and publish again, or report the need to the "
        "network's maintainers."
    ),
    "PUBLISHED_OVERRIDE": _published_override,
    "EXPIRED": lambda params: _("Its expiry time passed while it was open."),
    "PUBLISHED_WIDENED": _published_widened,
}


def _said(note: common_pb2.Note, english: str, texts: Mapping[str, Callable[..., str]]) -> str:
    say = texts.get(note.code)
    if say is None:
        return english
    try:
        return str(say(note.params))
    except (KeyError, ValueError):
        return english


def state_reason(need: need_pb2.Need) -> str:
    """Why the need is in its state: the node's note in the reader's language, or the reason
    a person typed (in their own words)."""
    if need.HasField("state_note") and need.state_note.code:
        return _said(need.state_note, need.state_reason, STATE_NOTES)
    return need.state_reason


# --- a node's health (network_health.proto, NodeHealth.reason_notes) -----------------------

HEALTH_NOTES: dict[str, Callable[[Mapping[str, str]], str]] = {
    "NO_HEARTBEAT_YET": lambda params: _("No heartbeat yet."),
    "NO_HEARTBEAT_FOR": lambda params: _(
        "No heartbeat for %(seconds)s s (more than %(intervals)s intervals).",
        seconds=format_decimal(_number(params, "seconds")),
        intervals=format_decimal(_number(params, "intervals")),
    ),
    "OUTBOX_BACKLOG": lambda params: ngettext(
        "%(num)d event waits in its outbox.",
        "%(num)d events wait in its outbox.",
        _number(params, "events"),
    ),
    "CONSUMER_LAG": lambda params: ngettext(
        "%(num)d network event waits for it.",
        "%(num)d network events wait for it.",
        _number(params, "events"),
    ),
    "FALLING_BEHIND": lambda params: ngettext(
        "Falling behind: %(num)d network event waits, more at each of the last %(heartbeats)d "
        "heartbeats.",
        "Falling behind: %(num)d network events wait, more at each of the last %(heartbeats)d "
        "heartbeats.",
        _number(params, "events"),
        heartbeats=_number(params, "heartbeats"),
    ),
}


def health_reasons(node: network_health_pb2.NodeHealth) -> list[str]:
    """Why the node is not up, in the reader's language; a monitor that sends no notes (an
    older release) is shown by its English reasons."""
    if len(node.reason_notes) != len(node.reasons):
        return list(node.reasons)
    return [
        _said(note, english, HEALTH_NOTES)
        for note, english in zip(node.reason_notes, node.reasons, strict=True)
    ]


# --- the anonymiser's placeholders in anonymised texts --------------------------------------

PLACEHOLDERS: dict[str, Any] = {
    "person": _l("person"),
    "organisation": _l("organisation"),
    "e-mail": _l("e-mail"),
    "phone": _l("phone"),
    "IBAN": _l("IBAN"),
    "VAT id": _l("VAT id"),
    "web site": _l("web site"),
    "address": _l("address"),
    "locality": _l("locality"),
    "postcode": _l("postcode"),
    "amount": _l("amount"),
    "redacted": _l("redacted"),
    "withheld": _l("withheld"),
}
_PLACEHOLDER = re.compile(r"\[(" + "|".join(re.escape(kind) for kind in PLACEHOLDERS) + r")\]")


def anonymised(text: str) -> Markup:
    """An anonymised text with each placeholder ("[person]") in the reader's language, marked
    so that the page shows it as what was taken out."""
    parts = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(escape(text[position : match.start()]))
        kind = match.group(1)
        parts.append(
            Markup('<span class="placeholder" data-kind="{}">[{}]</span>').format(
                kind, str(PLACEHOLDERS[kind])
            )
        )
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


# --- the node's refusals, by their reason --------------------------------------------------

REFUSALS: dict[str, Any] = {
    "ROLE_NOT_ALLOWED": _l("Your role does not allow this step."),
    "WRONG_REGION": _l("This belongs to another region: only its own staff can do this."),
    "STALE_REVISION": _l(
        "Someone changed this meanwhile: reload the page, apply your changes again and save."
    ),
    "CONFLICT": _l("This changed meanwhile: reload the page and try again."),
    "ILLEGAL_TRANSITION": _l(
        "This step is not possible in the current state; someone may have changed it "
        "meanwhile: reload the page."
    ),
    "NOT_FOUND": _l("This no longer exists, or is not visible to you: go back to the list."),
    "NO_CONSENT": _l("Nothing can be disclosed until the SME's consent is recorded."),
    "NOT_YOUR_MOVE": _l("This step is the other region's to take."),
    "NOT_THE_COUNTERPART": _l("Your region takes no part in this referral."),
    "NOT_DISCLOSED": _l(
        "No contact is disclosed yet: the SME's consent is not recorded, the exchange is "
        "still under way, or the consent was withdrawn."
    ),
    "HAS_PUBLISHED_NEEDS": _l(
        "The SME has needs published to the network: withdraw or close them first."
    ),
    "CONSENT_REQUIRED": _l(
        "The SME has not consented to sharing its anonymised needs with the network: record "
        "its consent first."
    ),
    "TOO_MANY_SAVED_SEARCHES": _l("You keep as many saved searches as allowed: delete one first."),
    "MAIL_NOT_CONFIGURED": _l(
        "This region's node sends no mail yet: ask its operator to set up the mail relay."
    ),
    "REQUEST_IN_PROGRESS": _l(
        "The same request is still being handled: wait a moment and reload the page."
    ),
    "NODE_UNAVAILABLE": _l(
        "Your region's node does not answer: try again shortly, and tell the cluster manager "
        "if it goes on."
    ),
    "INVALID_ARGUMENT": _l("Some fields are not valid: see the messages next to them."),
}


VIOLATIONS: dict[str, Any] = {
    "REQUIRED": _l("Fill this in."),
    "TOO_LONG": _l("Too long: shorten it."),
    "TOO_SHORT": _l("Too short: say more."),
    "TOO_MANY": _l("Too many: give fewer."),
    "TOO_FAR_AHEAD": _l("Too far ahead: at most two years."),
    "NEGATIVE": _l("Enter a number of zero or more."),
    "NOT_AN_EMAIL": _l("Enter an e-mail address, e.g. name@example.com."),
    "NOT_A_PHONE_NUMBER": _l("Enter the number with its country code, e.g. +393283162133."),
    "NOT_A_WEB_ADDRESS": _l("Enter the full address, e.g. https://www.example.com."),
    "GIVE_AT_LEAST_ONE": _l("Give at least one."),
    "NOT_IN_THE_FUTURE": _l("Choose a date in the future."),
    "CONTROL_CHARACTERS": _l("Remove the invisible control characters."),
}


def violation_text(error: Mapping[str, str]) -> str:
    """A node's word on one field (`Problem.errors`), in the reader's language by its code;
    the node's own words for a reader of English and for a code not known here."""
    text = VIOLATIONS.get(error.get("reason", ""))
    if text is None or str(get_locale() or "en").startswith("en"):
        return error.get("message", "")
    return str(text)


def refusal_text(problem: Problem) -> str:
    """A node's refusal in the reader's language, from its reason. The node's own words, which
    say more, for a reader of English and for a reason this console does not know."""
    text = REFUSALS.get(problem.reason)
    if text is None or str(get_locale() or "en").startswith("en"):
        return problem.detail
    return str(text)


def install(app: Flask) -> None:
    app.jinja_env.filters.update(anonymised=anonymised)
    app.jinja_env.globals.update(state_reason=state_reason)
