"""Valid requests of the node's contract, to be changed field by field in tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from twoins.v1 import (
    assessment_pb2,
    business_plan_pb2,
    common_pb2,
    expert_offer_pb2,
    knowledge_pb2,
    need_pb2,
    organisation_pb2,
)


def timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def organisation(**changes: Any) -> organisation_pb2.Organisation:
    message = organisation_pb2.Organisation(
        legal_name="Colucci Meccanica S.p.A.",
        trading_names=["Colucci Meccanica"],
        vat_id="IT07134560767",
        nace_code="25.62",
        employees=38,
        turnover_eur=6_200_000,
        year_founded=1987,
        export_status=organisation_pb2.EXPORT_STATUS_OCCASIONAL,
        address=common_pb2.Address(
            street="Via dell'Industria 12", postcode="85044", locality="Lauria", country_code="IT"
        ),
        website="https://www.coluccimeccanica.example",
        contacts=[
            common_pb2.Contact(
                name="Luca Ferrara",
                role="export manager",
                email="luca@coluccimeccanica.example",
                phone="+393283162133",
            )
        ],
        languages=["it", "en"],
        consents=[
            organisation_pb2.Consent(
                purpose=organisation_pb2.CONSENT_PURPOSE_NETWORK_SHARING, granted=True
            )
        ],
    )
    for name, value in changes.items():
        if isinstance(value, list):
            message.ClearField(name)
            getattr(message, name).extend(value)
        else:
            setattr(message, name, value)
    return message


def all_scores(score: int = 3) -> list[assessment_pb2.DimensionScore]:
    return [
        assessment_pb2.DimensionScore(dimension=dimension, score=score)
        for dimension in assessment_pb2.ReadinessDimension.keys()
        if not dimension.endswith("_UNSPECIFIED")
    ]


def need(organisation_id: str, **changes: Any) -> need_pb2.Need:
    message = need_pb2.Need(
        organisation_id=organisation_id,
        type=need_pb2.NEED_TYPE_BUSINESS_PARTNER,
        title="Distributor for precision parts in Germany",
        description="We look for a distributor of turned precision parts for agricultural "
        "machinery makers.",
        nace_codes=["25.62"],
        target_countries=["DE", "AT"],
        languages=["it", "en"],
        keywords=["precision parts", "distribution"],
        expire_time=timestamp(datetime.now(UTC) + timedelta(days=90)),
    )
    for name, value in changes.items():
        if isinstance(value, list):
            message.ClearField(name)
            getattr(message, name).extend(value)
        else:
            setattr(message, name, value)
    return message


def expert_offer() -> expert_offer_pb2.ExpertOffer:
    return expert_offer_pb2.ExpertOffer(
        title="Export strategy for food SMEs",
        description="Market entry strategies for EU food markets.",
        expert=common_pb2.Contact(name="Giulia Lorusso", email="giulia@example.org"),
        competences=["export strategy", "food labelling"],
        nace_codes=["10"],
        countries=["FR", "el"],
        languages=["it", "en"],
        service_types=[common_pb2.SERVICE_TYPE_MARKET_STUDY],
        capacity_hours_per_month=20,
    )


def knowledge_item() -> knowledge_pb2.KnowledgeItem:
    return knowledge_pb2.KnowledgeItem(
        kind=knowledge_pb2.KNOWLEDGE_KIND_METHOD,
        title="Export readiness in five workshops",
        summary="A sequence of five half-day workshops that takes a food SME to its first "
        "export order.",
        body="Workshop 1: the export plan. Workshop 2: pricing for export. Workshop 3: "
        "labels and rules. Workshop 4: finding a distributor. Workshop 5: the first order.",
        languages=["en", "it"],
        tags=["export", "food", "workshops"],
        nace_codes=["10.41"],
    )


def business_plan(organisation_id: str) -> business_plan_pb2.BusinessPlan:
    return business_plan_pb2.BusinessPlan(
        organisation_id=organisation_id,
        title="Growth in the DACH market",
        sections=[
            business_plan_pb2.PlanSection(
                kind=business_plan_pb2.PLAN_SECTION_KIND_SUMMARY,
                content="Precision parts for farm machinery.",
            )
        ],
        financial_years=[
            business_plan_pb2.FinancialYear(
                year=1, revenue_eur=1_000_000, operating_costs_eur=900_000
            )
        ],
    )


def new_request_id() -> str:
    return str(uuid.uuid4())
