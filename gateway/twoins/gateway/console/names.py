"""What the console calls the network's codes, in the reader's language: regions by their
names in `deploy/network.yaml`, roles by their titles, countries and languages by Babel's
names (CLDR), a match's reasons from their codes. An unknown code is shown as it is rather
than hidden."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Flask
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from twoins.common.network import Network
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR, NETWORK_COORDINATOR
from twoins.common.taxonomy import UnknownCode, nace_activity
from twoins.gateway.console.labels import label
from twoins.v1 import network_pb2

ROLE_TITLES: dict[str, Any] = {
    FACILITATOR: _l("Facilitator"),
    EXPERT: _l("Expert"),
    CLUSTER_MANAGER: _l("Cluster manager"),
    NETWORK_COORDINATOR: _l("Network coordinator"),
}


def _reader() -> Locale | None:
    try:
        return Locale.parse(str(get_locale() or "en"))
    except (UnknownLocaleError, ValueError):
        return None


def role_names(roles: Iterable[str]) -> str:
    """A person's roles by their titles, comma-separated, in a stable order."""
    return ", ".join(str(ROLE_TITLES.get(role, role)) for role in sorted(roles))


def country_name(code: str) -> str:
    reader = _reader()
    return str(reader.territories.get(code.upper(), code)) if reader and code else code


def language_name(code: str) -> str:
    reader = _reader()
    return str(reader.languages.get(code.lower(), code)) if reader and code else code


def nace_name(code: str) -> str:
    """A NACE code with its label: the exact title in English; in another language the title
    of its section (the only level translated officially in every partner language)."""
    try:
        activity = nace_activity(code)
    except UnknownCode:
        return code
    language = str(get_locale() or "en").split("_")[0]
    if activity.level == "section":
        return f"{activity.code} {activity.label(language)}"
    if language == "en":
        return f"{activity.code} {activity.label_en}"
    return f"{activity.code} ({nace_activity(activity.section).label(language)})"


def names(codes: Iterable[str], name: Any) -> str:
    """Several codes by their names, comma-separated."""
    return ", ".join(name(code) for code in codes)


def install(app: Flask, network: Network) -> None:
    regions = {region.id: region.name for region in network.regions}

    def region_name(region_id: str) -> str:
        return regions.get(region_id, region_id)

    app.jinja_env.filters.update(
        region_name=region_name,
        role_names=role_names,
        country_name=country_name,
        language_name=language_name,
        country_names=lambda codes: names(codes, country_name),
        language_names=lambda codes: names(codes, language_name),
        nace_name=nace_name,
        nace_names=lambda codes: names(codes, nace_name),
        decimal=decimal,
        one_decimal=lambda value: str(format_decimal(value, format="0.0")),
        percent=lambda share: str(format_percent(share)),
    )
    app.jinja_env.globals.update(reason_text=reason_text)


def decimal(value: float) -> str:
    """A score or a similarity with two decimals, written as the reader writes numbers."""
    return str(format_decimal(value, format="0.00"))


def reason_text(reason: network_pb2.MatchReason) -> str:
    """One part of a match score, in the reader's language, from its codes; a node that sends
    none (an older release) is shown by its English detail."""
    criterion = reason.criterion
    if criterion == network_pb2.MATCH_CRITERION_CONTENT and reason.similarity:
        return str(_("Text similarity %(value)s", value=decimal(reason.similarity)))
    if criterion == network_pb2.MATCH_CRITERION_SERVICE_TYPE and reason.service_types:
        kinds = ", ".join(label("service_type", kind) for kind in reason.service_types)
        return str(_("Kind of support: %(names)s", names=kinds))
    codes = list(reason.codes)
    if codes and criterion == network_pb2.MATCH_CRITERION_SECTOR:
        return str(_("Sector: %(codes)s", codes=names(codes, nace_name)))
    if codes and criterion == network_pb2.MATCH_CRITERION_COUNTRY:
        return str(_("Countries: %(names)s", names=names(codes, country_name)))
    if codes and criterion == network_pb2.MATCH_CRITERION_LANGUAGE:
        return str(_("Languages: %(names)s", names=names(codes, language_name)))
    return reason.detail
