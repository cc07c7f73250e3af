"""A node's restart as its own process, for `bench_scale.py`: imports what a node imports,
reads the catalogue index from its snapshot and the entries changed since, answers one match,
and prints how long each step took (seconds, JSON). A fresh process is what a restart is: the
benchmark's own process holds another index and would make the figures its own.

    python -m tests.bench.restart_probe <database url> <snapshot> <need id>
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402 - timed from the process's first line
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from twoins.common.network import load_network  # noqa: E402
from twoins.node.api.network import NetworkServicer  # noqa: E402
from twoins.node.context import NodeContext, TaxonomyCodeLists  # noqa: E402
from twoins.node.server import NodeServer  # noqa: E402, F401 - what a node imports
from twoins.node.store.database import Database  # noqa: E402
from twoins.node.store.node_store import NodeStore  # noqa: E402
from twoins.v1 import network_pb2  # noqa: E402


def main(database_url: str, snapshot: str, need_id: str) -> None:
    imported = time.perf_counter()
    store = NodeStore(Database(database_url))
    context = NodeContext(
        region=load_network().region("it-basilicata"), store=store, codes=TaxonomyCodeLists()
    )
    source = context.catalogue.load(store, Path(snapshot))
    loaded = time.perf_counter()
    answer = NetworkServicer(context).MatchExpertOffers(
        network_pb2.MatchExpertOffersRequest(need_id=need_id, max_results=10),
        None,  # type: ignore[arg-type]
    )
    matched = time.perf_counter()
    print(
        json.dumps(
            {
                "source": source,
                "matches": len(answer.matches),
                "imports_s": round(imported - STARTED, 2),
                "load_s": round(loaded - imported, 2),
                "first_match_s": round(matched - loaded, 3),
                "ready_to_match_s": round(matched - STARTED, 2),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
