"""The catalogue index on disk, so that a node holding 100,000 entries per kind matches again
within seconds of a restart instead of rebuilding its index from every row.

A snapshot is the index's shelves as they were when the node stopped, with the catalogue
version they hold (`CatalogueVersionRow`). At start the node reads it, applies only the entries
a newer version changed (`CatalogueRepository.changed_since`) and checks its counts against the
tables (`catalogue_index.CatalogueIndex.load`). A snapshot that does not fit is not used (the
index is rebuilt from the tables, as without one, and the next stop replaces the file): a file
another release of the index wrote (the fingerprint of the modules whose objects it holds
differs), a version newer than the database's (a database restored from a backup), counts
that differ, a file cut short.

The file is the node's own, like its database: written with mode 0600 beside it in the node's
data directory and read only from the path the node is configured with. It holds pickled
objects; reading one admits only the classes a snapshot is made of (`_ADMITTED`), so a file
changed by anyone else cannot make the node run other code: it is refused as unusable.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

_MAGIC = b"twoins-catalogue-snapshot 1\n"
#: The modules whose classes a snapshot holds: a change to any of them makes old files unusable.
_MODULES = (
    "twoins.node.store.catalogue_index",
    "twoins.node.store.match_columns",
    "twoins.node.store.slots",
    "twoins.node.domain.matching",
    "twoins.node.domain.need",
    "twoins.node.domain.support",
)


#: Everything a snapshot may name: the index's own classes and the values they hold.
_ADMITTED = frozenset(
    {
        ("twoins.node.store.catalogue_index", "_Shelf"),
        ("twoins.node.store.catalogue_index", "IndexedEntry"),
        ("twoins.node.store.match_columns", "MatchColumns"),
        ("twoins.node.store.match_columns", "_BitColumn"),
        ("twoins.node.store.slots", "Slots"),
        ("twoins.node.domain.matching", "NeedTraits"),
        ("twoins.node.domain.matching", "OfferTraits"),
        ("twoins.node.domain.need", "NeedType"),
        ("twoins.node.domain.support", "ServiceType"),
        ("array", "_array_reconstructor"),
        ("array", "array"),
        ("datetime", "datetime"),
        ("datetime", "timezone"),
        ("datetime", "timedelta"),
        ("numpy", "dtype"),
        ("numpy._core.numeric", "_frombuffer"),
        ("numpy.core.numeric", "_frombuffer"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
    }
)


#: The element types a snapshot's matrices may have (numpy's names).
_MATRIX_TYPES = frozenset({"|i1"})


class SnapshotUnusable(Exception):
    """The snapshot cannot be used; the message says why, for the node's log."""


def fingerprint() -> bytes:
    """What a snapshot must have been written by: these modules' sources, Python and numpy,
    as they were when the process started (a release installed over a running node must not
    lend its fingerprint to the old release's snapshot)."""
    return _FINGERPRINT


def _fingerprint() -> bytes:
    digest = hashlib.sha256(f"{sys.version_info[:2]} numpy {np.__version__}".encode())
    for name in _MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise SnapshotUnusable(f"module {name} not found")
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest().encode("ascii")


def write_snapshot(
    path: Path, version: int, shelves: Any, matrices: Sequence[npt.NDArray[Any]]
) -> int:
    """Writes the shelves, their catalogue version and their matrices (kept out of the
    pickle, as raw rows after it), replacing the file whole (a crash leaves the old file or
    the new one, never part of one); the bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(_MAGIC + fingerprint() + b"\n")
        layouts = [(matrix.shape, matrix.dtype.str) for matrix in matrices]
        pickle.dump({"version": version, "shelves": shelves, "matrices": layouts}, file, protocol=5)
        for matrix in matrices:
            file.write(np.ascontiguousarray(matrix).data.cast("B"))
        file.flush()
        os.fsync(file.fileno())
        size = file.tell()
    os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return size


def read_snapshot(path: Path) -> tuple[int, Any, list[npt.NDArray[Any]]]:
    """The catalogue version, the shelves and the matrices of the snapshot at `path`, each
    matrix in memory of its own (it can grow in place); SnapshotUnusable when there is none
    or it does not fit this release."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        raise SnapshotUnusable("no snapshot yet") from None
    except OSError as error:
        raise SnapshotUnusable(f"cannot open it: {error.strerror}") from None
    with file:
        if file.readline() != _MAGIC:
            raise SnapshotUnusable("not a catalogue snapshot")
        if file.readline().rstrip(b"\n") != fingerprint():
            raise SnapshotUnusable("written by another release of the index")
        try:
            content = _AdmittingUnpickler(file).load()
        except SnapshotUnusable:
            raise
        except Exception as error:  # a file cut short or damaged: any unpickling error
            raise SnapshotUnusable(f"cannot be read ({type(error).__name__})") from None
        if not isinstance(content, dict) or not isinstance(content.get("version"), int):
            raise SnapshotUnusable("not a catalogue snapshot")
        matrices = [_read_matrix(file, *layout) for layout in content.get("matrices", ())]
    return content["version"], content["shelves"], matrices


def _read_matrix(file: io.BufferedReader, shape: tuple[int, int], dtype: str) -> npt.NDArray[Any]:
    if dtype not in _MATRIX_TYPES:
        raise SnapshotUnusable(f"it holds a matrix of {dtype}, which no snapshot holds")
    matrix = np.empty(shape, dtype=dtype)
    if file.readinto(matrix.data.cast("B")) != matrix.nbytes:
        raise SnapshotUnusable("cannot be read (cut short)")
    return matrix


class _AdmittingUnpickler(pickle.Unpickler):
    """Reads only what `_ADMITTED` names; anything else makes the snapshot unusable."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ADMITTED:
            raise SnapshotUnusable(f"it names {module}.{name}, which no snapshot holds")
        return super().find_class(module, name)


_FINGERPRINT = _fingerprint()
