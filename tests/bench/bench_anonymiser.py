"""What anonymisation costs and how often it holds a need back.

Scrub time: the whole path of a need's text to what may leave (identifiers scrubbed, the
partner regions' towns and the other quasi-identifiers generalised, the residual check),
over 1,000-character texts made of the development corpus's records and their generated
variants.

Holds: every record of the development corpus and of its variants published as a need
through each region's real node API (PublishNeed, k = 5), its SME's record holding what the
corpus says it knows, among a region of SMEs with realistic profiles (mostly micro and small
firms of a dozen sectors); how many are held back for review, by the residual check or by
k-anonymity, and why. Development figures: the rules were tuned on these records.

Run with `make bench`; `make test` runs both at a tiny size (tests/unit/test_benchmarks_start.py)
so that they cannot rot."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from tests.bench.report import latency_summary, record
from tests.bench.sizes import size
from tests.support import builders
from twoins.cli.node_client import NodeClient
from twoins.node.anonymiser_cli import planted_towns
from twoins.node.config import load_node_config
from twoins.node.domain.anonymiser.evaluation import known_identity
from twoins.node.domain.anonymiser.publication import publishable_text
from twoins.node.domain.anonymiser.variants import variants
from twoins.node.places import partner_localities, partner_towns
from twoins.node.server import NodeServer, build_server
from twoins.v1 import common_pb2, need_pb2, organisation_pb2

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "pii-dev.jsonl"
TEXTS = size(2_000, 5)
WARM_UP = size(200, 2)
TEXT_LENGTH = 1_000
SMES_PER_REGION = size(150, 6)
K = 5
#: Where a record of each language is published: its region, and that region's NUTS 2.
REGION_OF = {
    "it": ("it-basilicata", "ITF5", "IT"),
    "el": ("gr-attica", "EL30", "GR"),
    "fr": ("fr-marseille", "FRL0", "FR"),
    "es": ("es-balears", "ES53", "ES"),
    "mt": ("mt-isla", "MT00", "MT"),
    "en": ("mt-isla", "MT00", "MT"),
}
#: Sectors of the network's SMEs (NACE classes), most common first.
SECTORS = (
    "10.41",
    "10.71",
    "11.02",
    "25.62",
    "28.30",
    "62.01",
    "30.12",
    "23.41",
    "20.42",
    "03.22",
    "16.23",
    "31.09",
)


def corpus_records(limit: int | None = None) -> list[dict[str, Any]]:
    """The development records, then their variants (quasi-identifiers planted)."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    made = list(variants(records, towns=planted_towns()))
    both = records + made
    return both[:limit] if limit is not None else both


def thousand_character_texts(
    records: list[dict[str, Any]], count: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Texts of about 1,000 characters, each of consecutive records of one language, with
    the first record's known identity."""
    rng = random.Random(20261203)
    for _ in range(count):
        first = rng.randrange(len(records))
        parts: list[str] = []
        index = first
        while sum(len(part) + 1 for part in parts) < TEXT_LENGTH:
            parts.append(records[index % len(records)]["text"])
            index += 1
        yield " ".join(parts)[:TEXT_LENGTH], records[first]


def measure_scrub(count: int, warm_up: int = WARM_UP) -> dict[str, float]:
    """Milliseconds per text, after `warm_up` texts that load the word lists and place
    names and compile what a running node has compiled (not measured)."""
    records = corpus_records()
    localities = partner_localities()
    samples = []
    for number, (text, source) in enumerate(thousand_character_texts(records, warm_up + count)):
        known = known_identity(source.get("known") or {})
        started = time.perf_counter()
        publishable_text(text, known, source.get("lang", ""), None, localities)
        if number >= warm_up:
            samples.append(time.perf_counter() - started)
    return {"texts": count, "characters": TEXT_LENGTH, **latency_summary(samples)}


def _population(region: str, country: str, nuts2: str, count: int) -> list[Any]:
    """Organisations of a region with realistic profiles: seven in ten micro firms."""
    rng = random.Random(f"{region}:{count}")
    towns = [town for town in partner_towns(nuts2) if not any(c.isdigit() for c in town)]
    made = []
    for index in range(count):
        employees = rng.choice([rng.randrange(1, 10)] * 7 + [rng.randrange(10, 50)] * 2 + [60])
        made.append(
            builders.organisation(
                legal_name=f"Impresa {region} {index}",
                trading_names=[],
                vat_id="",
                website="",
                contacts=[],
                nace_code=rng.choice(SECTORS[: rng.randrange(3, len(SECTORS) + 1)]),
                employees=employees,
                turnover_eur=employees * rng.randrange(60_000, 180_000),
                year_founded=rng.randrange(1960, 2024),
            )
        )
        made[-1].address.CopyFrom(
            common_pb2.Address(locality=rng.choice(towns), country_code=country)
        )
    return made


def _organisation_of(data: dict[str, Any], country: str, nuts2: str, rng: random.Random) -> Any:
    """The SME of a record as its node holds it: what the corpus says it knows."""
    known = data.get("known") or {}
    contacts = [
        common_pb2.Contact(
            name=contact.get("name") or "",
            email=contact.get("email", ""),
            phone=contact.get("phone", ""),
        )
        for contact in known.get("contacts", [])
        if contact.get("name")
    ]
    vat = str(known.get("vat", ""))
    own_vat = vat if vat[:2] in (country, "EL" if country == "GR" else country) else ""
    towns = [town for town in partner_towns(nuts2) if not any(c.isdigit() for c in town)]
    employees = rng.choice([rng.randrange(1, 10)] * 7 + [rng.randrange(10, 50)] * 2 + [60])
    organisation = builders.organisation(
        legal_name=known.get("legal_name") or "Impresa senza nome",
        trading_names=list(known.get("trading_names", [])),
        vat_id=own_vat,
        website=known.get("website", ""),
        contacts=contacts,
        nace_code=rng.choice(SECTORS),
        employees=employees,
        turnover_eur=employees * rng.randrange(60_000, 180_000),
        year_founded=rng.randrange(1960, 2024),
    )
    organisation.address.CopyFrom(
        common_pb2.Address(locality=rng.choice(towns), country_code=country)
    )
    return organisation


@contextmanager
def _nodes(folder: Path, regions: set[str]) -> Iterator[dict[str, NodeServer]]:
    with ExitStack() as stack:
        nodes = {}
        for region in sorted(regions):
            config = load_node_config(
                region_id=region,
                overrides={
                    "listen": "127.0.0.1:0",
                    "allow_unauthenticated": True,
                    "database_url": f"sqlite:///{folder / region}.db",
                    "shutdown_grace_seconds": 1,
                    "k_anonymity": K,
                    "semantic_matching": False,
                },
            )
            server = build_server(config)
            server.start()
            server.wait_ready()
            stack.callback(server.stop, 1)
            nodes[region] = server
        yield nodes


def measure_holds(
    folder: Path, limit: int | None = None, smes: int = SMES_PER_REGION
) -> dict[str, Any]:
    """Publishes every record as a need through the nodes' API; the share held and why."""
    records = corpus_records(limit)
    rng = random.Random(20261203)
    regions = {REGION_OF.get(data.get("lang", "en"), REGION_OF["en"])[0] for data in records}
    held: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    published = 0
    with _nodes(folder, regions) as nodes:
        clients = {region: NodeClient(node.address) for region, node in nodes.items()}
        for region, client in clients.items():
            _region, nuts2, country = next(
                value for value in REGION_OF.values() if value[0] == region
            )
            for organisation in _population(region, country, nuts2, smes):
                client.organisations.CreateOrganisation(
                    organisation_pb2.CreateOrganisationRequest(organisation=organisation)
                )
        for data in records:
            region, nuts2, country = REGION_OF.get(data.get("lang", "en"), REGION_OF["en"])
            client = clients[region]
            try:
                organisation = client.organisations.CreateOrganisation(
                    organisation_pb2.CreateOrganisationRequest(
                        organisation=_organisation_of(data, country, nuts2, rng)
                    )
                ).organisation
            except Exception as error:  # a record the node refuses as an SME: counted apart
                refused[type(error).__name__] += 1
                continue
            if len(data["text"].strip()) < 20:
                refused["too short to be a need"] += 1
                continue
            need = builders.need(organisation.id, description=data["text"][:4000])
            created = client.needs.CreateNeed(need_pb2.CreateNeedRequest(need=need)).need
            client.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=created.id))
            answer = client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=created.id)).need
            if answer.state == need_pb2.NEED_STATE_PUBLISHED:
                published += 1
            else:
                why = "k-anonymity" if "fewer than k" in answer.state_reason else "residual check"
                held[why] += 1
        for client in clients.values():
            client.close()
    total = published + sum(held.values())
    return {
        "needs": total,
        "published": published,
        "held": sum(held.values()),
        "held_rate": round(sum(held.values()) / total, 4) if total else 0.0,
        "why": dict(held),
        "refused_as_smes": dict(refused),
        "smes_per_region": smes,
        "k": K,
    }


def test_scrub_time_of_a_thousand_characters() -> None:
    figures = measure_scrub(TEXTS)
    record(
        "anonymising a 1,000-character need text (scrub, generalise, residual check)",
        figures,
        "ms per text",
        {"target_p99_ms": 5.0},
        figures["p99_ms"],
        "p99 milliseconds per 1,000-character text (target: under 5)",
    )


def test_needs_held_for_review(tmp_path: Path) -> None:
    figures = measure_holds(tmp_path)
    record(
        "needs of the development corpus and its variants held for review (k = 5)",
        figures,
        "share of needs",
        {"target": 0.10},
        figures["held_rate"],
        "share of needs held for review (target: at most 0.10)",
    )
