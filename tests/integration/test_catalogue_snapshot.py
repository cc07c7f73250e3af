"""The catalogue index kept between runs: a node starts from its snapshot plus the entries
changed since, and answers exactly as an index rebuilt from the tables; a snapshot that does
not fit is never used."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import uuid
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete

from tests.integration.conftest import TEST_REGION
from tests.integration.test_catalogue_rule import KINDS, ORIGIN, OTHER, Shelves
from twoins.cli.node_client import NodeClient
from twoins.common.envelope import subject_for, wrap
from twoins.node.bus.apply import EventApplier
from twoins.node.config import load_node_config
from twoins.node.server import build_server
from twoins.node.store import catalogue_snapshot
from twoins.node.store.catalogue_index import CatalogueIndex, embedding_vector
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.node.store.tables import CatalogueOfferRow
from twoins.v1 import network_pb2


def _ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def _published(shelves: Shelves, count: int = 3) -> dict[str, list[str]]:
    """`count` entries of every kind, published in turn."""
    ids = {kind: _ids(count) for kind in KINDS}
    for kind, (publish, _end) in KINDS.items():
        for index, entry_id in enumerate(ids[kind]):
            assert shelves.send(publish(entry_id, f"{kind} olive oil {index}"), index) == "applied"
    return ids


def _all_titles(shelves: Shelves, index: CatalogueIndex) -> dict[str, list[str]]:
    return {kind: shelves.titles(kind, index) for kind in KINDS}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_restart_reads_the_snapshot_and_only_what_changed_since(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else ""
    shelves = Shelves(tmp_path, url)
    ids = _published(shelves)
    snapshot = tmp_path / "catalogue.snapshot"
    assert shelves.index.save(snapshot) > 0
    assert snapshot.stat().st_mode & 0o777 == 0o600
    # While the node is down (or after its last save), the network moves on: an entry of each
    # kind ends, one is published again with new words, a new one comes.
    for kind, (publish, end) in KINDS.items():
        assert shelves.send(end(ids[kind][0]), 100) == "applied"
        assert shelves.send(publish(ids[kind][1], f"{kind} wine export"), 101) == "applied"
        assert shelves.send(publish(str(uuid.uuid4()), f"{kind} new arrival"), 102) == "applied"

    restarted = CatalogueIndex()
    assert restarted.load(shelves.store, snapshot) == "snapshot"
    rebuilt = CatalogueIndex()
    assert rebuilt.load(shelves.store) == "tables"
    assert _all_titles(shelves, restarted) == _all_titles(shelves, rebuilt)
    assert shelves.titles("need", restarted) == [
        "need new arrival",
        "need wine export",
        "need olive oil 2",
    ]
    # The restarted index takes later changes as the running one does, and saves them again.
    publish, _end = KINDS["offer"]
    later = str(uuid.uuid4())
    shelves.index = restarted
    shelves.applier = EventApplier(  # the restarted node's consumer
        shelves.store, frozenset({ORIGIN, OTHER}), on_change=restarted.apply, verify=None
    )
    assert shelves.send(publish(later, "offer after restart"), 200) == "applied"
    restarted.save(snapshot)
    again = CatalogueIndex()
    assert again.load(shelves.store, snapshot) == "snapshot"
    assert "offer after restart" in shelves.titles("offer", again)


def _embedding(text: str) -> bytes:
    """A unit vector near one direction, the same for the same text, standing in for the
    model's (whose cosines between the network's texts fall between 0.75 and 0.95)."""
    seeded = np.random.default_rng(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8]))
    vector = np.ones(384, np.float32) + 0.45 * seeded.standard_normal(384).astype(np.float32)
    return (vector / np.linalg.norm(vector)).astype(np.float32).tobytes()


def test_matching_from_a_snapshot_ranks_as_from_the_tables(tmp_path: Path) -> None:
    shelves = Shelves(tmp_path)
    shelves.applier = EventApplier(
        shelves.store,
        frozenset({ORIGIN, OTHER}),
        on_change=shelves.index.apply,
        verify=None,
        embed=_embedding,
    )
    ids = _published(shelves, count=5)
    snapshot = tmp_path / "catalogue.snapshot"
    shelves.index.save(snapshot)
    restarted = CatalogueIndex()
    assert restarted.load(shelves.store, snapshot) == "snapshot"
    rebuilt = CatalogueIndex()
    rebuilt.load(shelves.store)
    with shelves.store.read() as repositories:
        published = repositories.catalogue.embeddings("need", ids["need"])
    assert set(published) == set(ids["need"])
    for need_id in ids["need"]:
        need, vector = rebuilt.need(need_id), embedding_vector(published[need_id])
        assert need is not None
        expected = [(entry.id, cosine) for entry, cosine in rebuilt.offers_for(need, vector, 10)]
        restored_need = restarted.need(need_id)
        assert restored_need is not None
        found = [
            (entry.id, cosine) for entry, cosine in restarted.offers_for(restored_need, vector, 10)
        ]
        assert expected
        assert all(cosine is not None for _, cosine in expected)
        assert found == expected


def _unusable_reason(shelves: Shelves, snapshot: Path, caplog: pytest.LogCaptureFixture) -> str:
    index = CatalogueIndex()
    with caplog.at_level(logging.INFO, logger="twoins.node.store.catalogue_index"):
        assert index.load(shelves.store, snapshot) == "tables"
    assert _all_titles(shelves, index) == _all_titles(shelves, shelves.index)
    return str(caplog.records[-1].__dict__["reason"])


def test_a_snapshot_that_does_not_fit_is_not_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    shelves = Shelves(tmp_path)
    ids = _published(shelves)
    snapshot = tmp_path / "catalogue.snapshot"

    assert _unusable_reason(shelves, snapshot, caplog) == "no snapshot yet"

    snapshot.write_bytes(b"not a snapshot at all")
    assert _unusable_reason(shelves, snapshot, caplog) == "not a catalogue snapshot"

    shelves.index.save(snapshot)
    snapshot.write_bytes(snapshot.read_bytes()[:-200])  # cut short
    assert _unusable_reason(shelves, snapshot, caplog).startswith("cannot be read")

    # A file changed to make the node call something else than the index's own classes.
    header = b"".join(snapshot.read_bytes().splitlines(keepends=True)[:2])
    snapshot.write_bytes(header + pickle.dumps({"version": 0, "shelves": os.getcwd}))
    reason = _unusable_reason(shelves, snapshot, caplog)
    assert reason == f"it names {os.getcwd.__module__}.getcwd, which no snapshot holds"

    with monkeypatch.context() as patched:
        patched.setattr(catalogue_snapshot, "fingerprint", lambda: b"an older release")
        shelves.index.save(snapshot)
    assert _unusable_reason(shelves, snapshot, caplog) == "written by another release of the index"

    # A database restored from before the snapshot: the snapshot is ahead of it.
    shelves.index.save(snapshot)
    older = Shelves(tmp_path / "restored")
    _published(older, count=1)
    reason = _unusable_reason(older, snapshot, caplog)
    assert reason.startswith("it holds catalogue version")
    assert reason.endswith("newer than the database's 3")

    # Rows changed behind the versions' back (a hand edit): the counts tell.
    shelves.index.save(snapshot)
    with shelves.store.write() as repositories:
        repositories.catalogue._session.execute(
            delete(CatalogueOfferRow).where(CatalogueOfferRow.offer_id == ids["offer"][0])
        )
    shelves.index.load(shelves.store)
    reason = _unusable_reason(shelves, snapshot, caplog)
    assert reason == "it holds 3 entries of kind offer where the tables hold 2"


def test_a_node_keeps_its_index_in_its_data_directory_between_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_node_config(
        region_id=TEST_REGION,
        overrides={
            "listen": "127.0.0.1:0",
            "allow_unauthenticated": True,
            "data_dir": str(tmp_path),
            "shutdown_grace_seconds": 1,
            "semantic_matching": False,
        },
    )
    snapshot = tmp_path / TEST_REGION / "catalogue.snapshot"
    assert config.catalogue_snapshot_file == snapshot
    found = []
    for run in range(2):
        node = build_server(config)
        with caplog.at_level(logging.INFO, logger="twoins.node.server"):
            node.start()
        try:
            node.wait_ready()
            with NodeClient(node.address) as client:
                answer = client.network.SearchNeeds(network_pb2.SearchNeedsRequest(query="olive"))
                found.append([need.title for need in answer.needs])
        finally:
            node.stop(grace=1)
        assert snapshot.exists()
        if run == 0:  # the network's events applied after the snapshot was written
            publish, _end = KINDS["need"]
            database = Database(config.database_url)
            applier = EventApplier(NodeStore(database), frozenset({ORIGIN}), verify=None)
            payload = publish(str(uuid.uuid4()), "olive oil importers")
            applier.apply(subject_for(ORIGIN, payload), wrap(payload, ORIGIN).SerializeToString())
            database.dispose()
    loaded_from = [
        record.__dict__["source"]
        for record in caplog.records
        if record.getMessage() == "catalogue index loaded"
    ]
    assert loaded_from == ["tables", "snapshot"]
    assert found == [[], ["olive oil importers"]]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_index_that_follows_the_tables_holds_what_the_applying_one_holds(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    """A node's other serving processes follow the catalogue from the tables
    (`CatalogueIndex.catch_up`): after publications, ends and republications, they hold
    what the process applying the events holds."""
    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else ""
    shelves = Shelves(tmp_path, url)
    follower = CatalogueIndex()
    follower.load(shelves.store)
    assert follower.catch_up(shelves.store) == 0  # nothing changed yet
    ids = _published(shelves)
    assert follower.catch_up(shelves.store) == 3 * len(KINDS)
    assert _all_titles(shelves, follower) == _all_titles(shelves, shelves.index)
    for kind, (publish, end) in KINDS.items():
        assert shelves.send(end(ids[kind][0]), 100) == "applied"
        assert shelves.send(publish(ids[kind][1], f"{kind} wine export"), 101) == "applied"
    assert follower.catch_up(shelves.store) == 2 * len(KINDS)
    assert follower.catch_up(shelves.store) == 0
    assert _all_titles(shelves, follower) == _all_titles(shelves, shelves.index)
    assert shelves.titles("need", follower) == ["need wine export", "need olive oil 2"]
