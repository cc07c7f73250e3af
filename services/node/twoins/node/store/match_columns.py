"""What matching compares of one kind of catalogue entry, kept column by column.

Matching ranks every entry of the other kind for one need or offer. Kept as Python objects,
that is a loop over every entry on every request (708 ms at 100,000 offers); kept here as
columns (a bit set per criterion and one matrix of text embeddings), the quick score of every
entry is a handful of array operations and one matrix product, and only the shortlist goes on
to the full scoring with its reasons (`domain.matching.match`).

The embeddings are kept as bytes (int8), each row with its own scale: a quarter of the
memory of float32 (1.5 kB to 0.4 kB per entry), for a cosine within about 0.002 of the exact
one (0.0004 typically). The scan reads the matrix a thousand rows at a time, converted into a
buffer that stays in the processor's cache, as fast as the float32 product it replaces. The
shortlist it gives is a candidate list: the caller scores it again with the embeddings as
published (`api.network`), so what a user sees is the exact score.

The columns grow by an eighth at a time, in place where the allocator can, and reuse the rows of
removed entries, so a change costs the same at 100 or 100,000 entries and no change rebuilds
the matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from twoins.node.domain.matching import (
    CONTENT_CEILING,
    CONTENT_FLOOR,
    EMBEDDING_DIMENSIONS,
    WEIGHTS,
    MatchCriterion,
)
from twoins.node.store.slots import Slots

Vector = npt.NDArray[np.float32]
_FIRST_CAPACITY = 64
#: How much room a full matrix gains: an eighth, so that a growth writes an eighth of the
#: matrix's memory, not all of it again (first writes to fresh memory cost most of a growth).
_GROWTH = 8
_WORD_BITS = 64
#: Rows converted to float32 at a time by a scan: 1.5 MB, which stays in the processor's cache
#: (4,096 rows at a time took six times as long here).
_SCAN_ROWS = 1_024
#: The largest magnitude of a stored component.
_INT8_MAX = 127.0


class _BitColumn:
    """One criterion's values per row (sectors, countries, languages or kinds) as bit sets,
    each distinct value given a bit when first seen."""

    def __init__(self, capacity: int) -> None:
        self._bits: dict[str, int] = {}
        self.words = np.zeros((capacity, 1), dtype=np.uint64)

    def resize(self, capacity: int) -> None:
        """Room for `capacity` rows; the rows beyond it are dropped."""
        kept = min(capacity, self.words.shape[0])
        resized = np.zeros((capacity, self.words.shape[1]), dtype=np.uint64)
        resized[:kept] = self.words[:kept]
        self.words = resized

    def set(self, row: int, values: Iterable[str]) -> None:
        for value in values:
            if value not in self._bits:
                self._bits[value] = len(self._bits)
                if len(self._bits) > self.words.shape[1] * _WORD_BITS:
                    extra = np.zeros((self.words.shape[0], 1), dtype=np.uint64)
                    self.words = np.hstack([self.words, extra])
        self.words[row] = self.mask(values)

    def mask(self, values: Iterable[str]) -> npt.NDArray[np.uint64]:
        """The bit set of `values`; values no row has are left out (they share nothing)."""
        mask = [0] * self.words.shape[1]
        for value in values:
            bit = self._bits.get(value)
            if bit is not None:
                mask[bit // _WORD_BITS] |= 1 << (bit % _WORD_BITS)
        return np.array(mask, dtype=np.uint64)

    def shares(self, rows: int, values: Iterable[str]) -> npt.NDArray[np.bool_]:
        """For each of the first `rows` rows, whether it holds one of `values`."""
        mask = self.mask(values)
        if not mask.any():
            return np.zeros(rows, dtype=np.bool_)
        return np.asarray((self.words[:rows] & mask).any(axis=1), dtype=np.bool_)


class MatchColumns:
    """The matching traits and text embeddings of one kind of entry (needs or offers). Not
    thread-safe: the catalogue index holds its lock around every call."""

    def __init__(self) -> None:
        capacity = _FIRST_CAPACITY
        self._rows = Slots()
        self._sectors = _BitColumn(capacity)
        self._countries = _BitColumn(capacity)
        self._languages = _BitColumn(capacity)
        self._kinds = _BitColumn(capacity)
        self._vectors = np.zeros((capacity, EMBEDDING_DIMENSIONS), dtype=np.int8)
        #: Each row's scale: its stored components times it are its embedding's.
        self._scales = np.zeros(capacity, dtype=np.float32)
        self._has_vector = np.zeros(capacity, dtype=np.bool_)
        self._alive = np.zeros(capacity, dtype=np.bool_)

    def __len__(self) -> int:
        return len(self._rows)

    def put(
        self,
        entry_id: str,
        *,
        sectors: Iterable[str],
        countries: Iterable[str],
        languages: Iterable[str],
        kinds: Iterable[str],
        vector: Vector | None,
    ) -> None:
        """Adds the entry, or replaces what was kept of it."""
        row = self._rows.take(entry_id)
        if row == self._vectors.shape[0]:
            self._grow()
        self._sectors.set(row, sectors)
        self._countries.set(row, countries)
        self._languages.set(row, languages)
        self._kinds.set(row, kinds)
        quantised = _quantised(vector) if vector is not None else None
        if quantised is not None:
            self._vectors[row], self._scales[row] = quantised
            self._has_vector[row] = True
        else:
            self._vectors[row], self._scales[row] = 0, 0.0
            self._has_vector[row] = False
        self._alive[row] = True

    def discard(self, entry_id: str) -> None:
        row = self._rows.release(entry_id)
        if row is None:
            return
        self._alive[row] = False
        self._has_vector[row] = False

    def shortlist(
        self,
        *,
        sectors: Iterable[str],
        countries: Iterable[str],
        languages: Iterable[str],
        kinds: Iterable[str],
        vector: Vector | None,
        count: int,
    ) -> list[tuple[str, float | None]]:
        """The `count` entries with the best quick score (the weights of `domain.matching`)
        that score above zero, best first, each with its text similarity as the columns
        know it (within about 0.002; None when either side has no embedding)."""
        rows = len(self._rows.ids)
        if rows == 0 or count <= 0:
            return []
        score = np.zeros(rows, dtype=np.float32)
        for column, values, criterion in (
            (self._sectors, sectors, MatchCriterion.SECTOR),
            (self._countries, countries, MatchCriterion.COUNTRY),
            (self._languages, languages, MatchCriterion.LANGUAGE),
            (self._kinds, kinds, MatchCriterion.SERVICE_TYPE),
        ):
            score += np.float32(WEIGHTS[criterion]) * column.shares(rows, values)
        cosines: Vector | None = None
        if vector is not None:
            cosines = self._cosines(vector, rows)
            content = np.clip(
                (cosines - CONTENT_FLOOR) / (CONTENT_CEILING - CONTENT_FLOOR), 0.0, 1.0
            )
            score += np.float32(WEIGHTS[MatchCriterion.CONTENT]) * np.where(
                self._has_vector[:rows], content, 0.0
            ).astype(np.float32)
        score[~self._alive[:rows]] = -1.0
        count = min(count, rows)
        best = np.argpartition(-score, count - 1)[:count]
        best = best[np.argsort(-score[best], kind="stable")]
        shortlist: list[tuple[str, float | None]] = []
        for row in best.tolist():
            entry_id = self._rows.ids[row]
            if score[row] <= 0 or entry_id is None:
                continue
            cosine = float(cosines[row]) if cosines is not None and self._has_vector[row] else None
            shortlist.append((entry_id, cosine))
        return shortlist

    def nearest(self, vector: Vector, count: int) -> list[tuple[str, float]]:
        """The `count` entries whose text embedding is closest to `vector` (cosine; both
        normalised, as the columns know it), closest first; entries without an embedding are
        left out."""
        rows = len(self._rows.ids)
        if rows == 0 or count <= 0:
            return []
        cosines = self._cosines(vector, rows)
        cosines[~(self._alive[:rows] & self._has_vector[:rows])] = -2.0
        count = min(count, rows)
        best = np.argpartition(-cosines, count - 1)[:count]
        best = best[np.argsort(-cosines[best], kind="stable")]
        found = []
        for row in best.tolist():
            entry_id = self._rows.ids[row]
            if entry_id is not None and cosines[row] > -2.0:
                found.append((entry_id, float(cosines[row])))
        return found

    def _cosines(self, vector: Vector, rows: int) -> Vector:
        """The cosine of `vector` with each of the first `rows` rows (0 for a row without
        an embedding)."""
        query = vector.astype(np.float32, copy=False)
        cosines = np.empty(rows, dtype=np.float32)
        converted = np.empty((min(rows, _SCAN_ROWS), EMBEDDING_DIMENSIONS), dtype=np.float32)
        for start in range(0, rows, _SCAN_ROWS):
            end = min(rows, start + _SCAN_ROWS)
            chunk = converted[: end - start]
            np.copyto(chunk, self._vectors[start:end], casting="unsafe")
            np.matmul(chunk, query, out=cosines[start:end])
        cosines *= self._scales[:rows]
        return cosines

    def compact(self) -> None:
        """Drops the room kept for rows not used yet (up to half the matrix after doubling),
        e.g. once a load is done; the next new row doubles it again."""
        rows = max(len(self._rows.ids), 1)
        if rows == self._vectors.shape[0]:
            return
        for column in (self._sectors, self._countries, self._languages, self._kinds):
            column.resize(rows)
        self._vectors = self._vectors[:rows].copy()
        self._scales = self._scales[:rows].copy()
        self._has_vector = self._has_vector[:rows].copy()
        self._alive = self._alive[:rows].copy()

    @property
    def vectors(self) -> npt.NDArray[np.int8]:
        """The matrix of stored embeddings, a row per entry (and rows of room after them)."""
        return self._vectors

    def __getstate__(self) -> dict[str, object]:
        # The matrix goes beside the pickle, read back straight into memory the matrix owns
        # (`catalogue_snapshot`), so that it can grow in place.
        return {**self.__dict__, "_vectors": None}

    def take_vectors(self, vectors: npt.NDArray[np.int8]) -> None:
        """The matrix read back for a column restored without it."""
        if vectors.shape != (self._has_vector.shape[0], EMBEDDING_DIMENSIONS):
            raise ValueError(f"a matrix of {vectors.shape} for {self._has_vector.shape[0]} rows")
        if vectors.dtype != np.int8:
            raise ValueError(f"a matrix of {vectors.dtype}, not int8")
        self._vectors = vectors

    def _grow(self) -> None:
        """Room for an eighth more rows (at least `_FIRST_CAPACITY`)."""
        rows = self._vectors.shape[0]
        capacity = rows + max(rows // _GROWTH, _FIRST_CAPACITY)
        for column in (self._sectors, self._countries, self._languages, self._kinds):
            column.resize(capacity)
        self._vectors = _grown(self._vectors, capacity)
        self._scales = _grown(self._scales, capacity)
        self._has_vector = _grown(self._has_vector, capacity)
        self._alive = _grown(self._alive, capacity)


def _quantised(vector: Vector) -> tuple[npt.NDArray[np.int8], np.float32] | None:
    """The vector as int8 components and the scale that gives them back; None for one that
    is not an embedding (another length, all zeros, not finite)."""
    if vector.shape != (EMBEDDING_DIMENSIONS,):
        return None
    largest = float(np.abs(vector).max())
    if largest == 0.0 or not np.isfinite(largest):
        return None
    scale = largest / _INT8_MAX
    return np.rint(vector / scale).astype(np.int8), np.float32(scale)


def _grown(array: npt.NDArray[Any], rows: int) -> npt.NDArray[Any]:
    """The array with `rows` rows, the new ones zero: grown in place when it owns its memory
    (no copy of the rows it has), else copied."""
    if array.flags.owndata and array.flags.c_contiguous:
        array.resize((rows, *array.shape[1:]), refcheck=False)
        return array
    grown = np.zeros((rows, *array.shape[1:]), dtype=array.dtype)
    grown[: array.shape[0]] = array
    return grown
