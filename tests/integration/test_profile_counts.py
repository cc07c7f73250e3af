"""The k-anonymity guard's counts, kept as SMEs are added, changed and erased, decide exactly as
a scan of every SME would; a database without them (the upgrade that adds them) is counted at
start."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support import builders
from twoins.node.domain.anonymiser.generalise import generalise
from twoins.node.domain.anonymiser.publication import k_anonymity, k_anonymity_counted
from twoins.node.domain.organisation import Organisation
from twoins.node.messages.convert import organisation_from_proto
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.node.store.tables import ProfileCountRow

NUTS2 = "ITF5"


def _sme(generator: random.Random) -> Organisation:
    message = builders.organisation(
        nace_code=generator.choice(["25.62", "10.51", "62.01", "11.02"]),
        employees=generator.choice([3, 12, 60, 300]),
        turnover_eur=generator.choice([150_000, 1_500_000, 12_000_000]),
        year_founded=generator.choice([1962, 1987, 1999, 2015]),
    )
    return organisation_from_proto(
        message, id=str(uuid.uuid4()), region="it-basilicata", now=datetime.now(UTC)
    )


def _decisions_agree(store: NodeStore, k: int) -> int:
    checked = 0
    with store.read() as repositories:
        everyone = repositories.organisations.all()
        profiles = [generalise(other, NUTS2) for other in everyone]
        for sme in everyone:
            profile = generalise(sme, NUTS2)
            counted = k_anonymity_counted(profile, repositories.organisations.profiles.count, k)
            assert counted == k_anonymity(profile, profiles, k)
            checked += 1
    return checked


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases a node runs on: the counts are changed by a dialect's own upsert."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'node.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_counts_follow_every_change_and_decide_as_a_scan(database_url: str) -> None:
    database = Database(database_url)
    database.upgrade()
    store = NodeStore(database)
    generator = random.Random(7)
    smes = [_sme(generator) for _ in range(120)]
    with store.write() as repositories:
        for sme in smes:
            repositories.organisations.add(sme)
    assert _decisions_agree(store, k=5) == 120
    with store.write() as repositories:
        for sme in smes[:40]:
            changed = replace(sme, employees=generator.choice([3, 60]), nace_code="62.01")
            repositories.organisations.get(sme.id, for_update=True)
            repositories.organisations.save(changed)
        for sme in smes[40:70]:
            repositories.organisations.delete(sme.id)
    assert _decisions_agree(store, k=5) == 90
    assert store.count_profiles_if_needed() is None

    # Counts lost (a database from before they were kept): counted again at start.
    with database.writing() as session:
        session.query(ProfileCountRow).delete()
    assert store.count_profiles_if_needed() == 90
    assert _decisions_agree(store, k=3) == 90
