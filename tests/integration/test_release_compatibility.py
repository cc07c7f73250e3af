"""Regions upgrade at different times: the node of the previous release and the current one
share the bus. The previous release is the code of the commit before the contract's last
change (what regions not yet upgraded run); its own code, from git, runs in a process of its
own next to the current code:

- its events are applied by the current node;
- the current node's events, with every field the current contract has, are applied by the
  previous node (fields it does not know are carried, not refused);
- the previous node's database, upgraded in place by the current release, serves its
  catalogue as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from twoins.node.store.catalogue_index import CatalogueFilter, CatalogueIndex
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.node.store.pagination import PageRequest

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "support" / "release_probe.py"
CODE = ("protos", "services/common", "services/node", "deploy")
EVERYTHING = PageRequest(size=100, after=None, filter_key="")


def _git(*arguments: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(ROOT), *arguments], check=True, capture_output=True, timeout=60
    ).stdout


def previous_release() -> str:
    """The commit before the contract's last change; while the contract is being edited, the
    last commit."""
    edited = subprocess.run(
        ["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--", "protos"], check=False
    ).returncode
    if edited:
        return "HEAD"
    last_change = _git("log", "-n", "1", "--format=%H", "--", "protos/twoins").decode().strip()
    try:
        return _git("rev-parse", "--verify", f"{last_change}~1").decode().strip()
    except subprocess.CalledProcessError:
        pytest.skip("the contract has a single version in this clone: nothing to compare with")


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The previous release's code, as git holds it."""
    try:
        release = previous_release()
        archive = _git("archive", "--format=tar", release, *CODE)
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        pytest.fail(f"cannot read the previous release from git ({error}); clone with history")
    target = tmp_path_factory.mktemp("previous-release")
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _run(release: Path | None, *arguments: str) -> str:
    """The probe under a release's code (None: the current one)."""
    env = dict(os.environ)
    if release is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            str(release / part) for part in ("protos", "services/common", "services/node")
        )
    done = subprocess.run(
        [sys.executable, str(PROBE), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _code_of(release: Path | None) -> str:
    """Which code the probe imports under `release`, to be sure the old one ran."""
    env = dict(os.environ)
    if release is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            str(release / part) for part in ("protos", "services/common", "services/node")
        )
    return subprocess.run(
        [sys.executable, "-c", "import twoins.node.bus.apply as a; print(a.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()


def _events(release: Path | None, folder: Path, name: str) -> Path:
    path = folder / f"{name}.jsonl"
    path.write_text(_run(release, "produce"), encoding="utf-8")
    return path


def test_the_previous_release_runs_its_own_code(previous: Path) -> None:
    assert _code_of(previous).startswith(str(previous))
    assert not _code_of(None).startswith(str(previous))


def test_events_of_the_previous_release_are_applied_by_the_current_node(
    previous: Path, tmp_path: Path
) -> None:
    events = _events(previous, tmp_path, "previous")
    result = json.loads(_run(None, "consume", str(events), str(tmp_path / "current.db")))
    assert result["outcomes"] == ["applied"] * 5
    assert result["visible"] == {"needs": 1, "offers": 1, "knowledge": 1}


def test_events_of_the_current_release_are_applied_by_the_previous_node(
    previous: Path, tmp_path: Path
) -> None:
    events = _events(None, tmp_path, "current")
    result = json.loads(_run(previous, "consume", str(events), str(tmp_path / "previous.db")))
    assert result["outcomes"] == ["applied"] * 5
    assert result["visible"] == {"needs": 1, "offers": 1, "knowledge": 1}


def test_the_previous_nodes_database_serves_after_the_upgrade(
    previous: Path, tmp_path: Path
) -> None:
    database_file = tmp_path / "upgraded.db"
    events = _events(previous, tmp_path, "previous")
    _run(previous, "consume", str(events), str(database_file))
    database = Database(f"sqlite:///{database_file}")
    database.upgrade()
    index = CatalogueIndex()
    index.load(NodeStore(database))
    assert len(index.search_needs(CatalogueFilter(query="olive"), EVERYTHING)[0]) == 1
    assert len(index.search_offers(CatalogueFilter(query="export"), EVERYTHING)[0]) == 1
    knowledge = index.search_knowledge(CatalogueFilter(query="scouting"), EVERYTHING)[0]
    assert len(knowledge) == 1
    assert index.search_knowledge(CatalogueFilter(query="lang"), EVERYTHING)[0] == []
