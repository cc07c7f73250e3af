"""Cross-language search on the labelled set: English queries (`tests/data/search-queries.jsonl`,
one per topic, written from the topic's name alone) against the set's needs in six languages.

A query is relevant to every need of its topic; what counts is the needs in another language
than the query's, which words alone cannot find. The node's search shows the needs its words
find, then (`include_related`) the needs whose embedding is close to the query's; recall@10 is
the share of the cross-language needs among the first ten shown (of at most ten). Topics split
into halves as for matching (`matching_eval.EvalSet.half`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tests.support.matching_eval import EvalSet
from twoins.node.domain.search_terms import document_terms
from twoins.node.store.catalogue_index import has_terms
from twoins.node.store.match_columns import MatchColumns

QUERIES = Path(__file__).resolve().parents[1] / "data" / "search-queries.jsonl"
SHOWN = 10


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass(frozen=True)
class SearchFigures:
    #: Mean recall@10 of the cross-language needs.
    recall: float
    #: Share of the related needs shown that are of another topic.
    off_topic_related: float
    #: The same recall with words alone (no related needs).
    words_only_recall: float


def search_figures(
    data: EvalSet,
    queries: Sequence[dict[str, Any]],
    query_vectors: npt.NDArray[np.float32],
    need_vectors: npt.NDArray[np.float32],
    threshold: float,
) -> SearchFigures:
    """The figures of `queries` (rows of `query_vectors`) over every need of the set, the
    cosines as the node's matching columns compute them (`MatchColumns.nearest`)."""
    columns = MatchColumns()
    for index, need_vector in enumerate(need_vectors):
        columns.put(
            str(index), sectors=(), countries=(), languages=(), kinds=(), vector=need_vector
        )
    terms = [
        document_terms(f"{need['title']} {need['description']}", (need["lang"],))
        for need in data.needs
    ]
    recalls, words_recalls, related_total, related_off = [], [], 0, 0
    for query, vector in zip(queries, query_vectors, strict=True):
        wanted = {
            index
            for index, need in enumerate(data.needs)
            if need["topic"] == query["topic"] and need["lang"] != query["lang"]
        }
        if not wanted:
            continue
        by_words = [
            index for index in range(len(data.needs)) if has_terms(query["query"], terms[index])
        ]
        found_by_words = set(by_words)
        related = [
            int(key)
            for key, cosine in columns.nearest(vector, len(data.needs))
            if cosine >= threshold and int(key) not in found_by_words
        ][:SHOWN]
        shown = (by_words + related)[:SHOWN]
        shown_related = [index for index in shown if index in related]
        related_total += len(shown_related)
        related_off += sum(data.needs[index]["topic"] != query["topic"] for index in shown_related)
        limit = min(len(wanted), SHOWN)
        recalls.append(len(wanted & set(shown)) / limit)
        words_recalls.append(len(wanted & set(by_words[:SHOWN])) / limit)
    return SearchFigures(
        recall=round(float(np.mean(recalls)), 3),
        off_topic_related=round(related_off / related_total, 3) if related_total else 0.0,
        words_only_recall=round(float(np.mean(words_recalls)), 3),
    )
