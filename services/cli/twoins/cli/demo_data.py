"""Realistic, fictitious demo data for each region, sent through the nodes' real gRPC APIs.

Every create carries a request id derived from the region and the item, so seeding twice
creates nothing new: the second run gets the first run's records back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from twoins.cli.node_client import NodeClient
from twoins.v1 import (
    assessment_pb2,
    business_plan_pb2,
    common_pb2,
    expert_offer_pb2,
    knowledge_pb2,
    need_pb2,
    organisation_pb2,
)

_NAMESPACE = uuid.UUID("2d1f9a3e-6c1b-4a7e-9d4c-2f0b5e7a1c33")


def _request_id(region: str, item: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{region}/{item}"))


@dataclass(frozen=True)
class DemoSme:
    key: str
    legal_name: str
    trading_name: str
    vat_id: str
    nace_code: str
    employees: int
    turnover_eur: int
    year_founded: int
    street: str
    postcode: str
    locality: str
    country: str
    contact_name: str
    contact_email: str
    contact_phone: str
    languages: tuple[str, ...]
    need_type: need_pb2.NeedType
    need_title: str
    need_description: str
    need_countries: tuple[str, ...]
    need_keywords: tuple[str, ...]


@dataclass(frozen=True)
class DemoExpert:
    name: str
    email: str
    title: str
    description: str
    competences: tuple[str, ...]
    nace_codes: tuple[str, ...]
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    service_types: tuple[common_pb2.ServiceType, ...]


_DEMO: dict[str, tuple[list[DemoSme], DemoExpert]] = {
    "it-basilicata": (
        [
            DemoSme(
                "colucci",
                "Colucci Meccanica S.p.A.",
                "Colucci Meccanica",
                "IT07134560767",
                "25.62",
                38,
                6_200_000,
                1987,
                "Via dell'Industria 12",
                "85044",
                "Lauria",
                "IT",
                "Luca Ferrara",
                "luca.ferrara@coluccimeccanica.example",
                "+393283162133",
                ("it", "en"),
                need_pb2.NEED_TYPE_BUSINESS_PARTNER,
                "Distributore per componenti meccanici di precisione in Germania",
                "Cerchiamo un distributore per componenti torniti di precisione per il settore "
                "automotive e agricolo; certificazione ISO 9001:2015.",
                ("DE", "AT"),
                ("meccanica di precisione", "distribuzione", "automotive"),
            ),
            DemoSme(
                "frantoio",
                "Frantoio Santoro S.r.l.",
                "Oro di Matera",
                "IT01987650767",
                "10.41",
                9,
                1_400_000,
                2004,
                "Contrada San Vito 3",
                "75100",
                "Matera",
                "IT",
                "Anna Santoro",
                "anna@frantoiosantoro.example",
                "+390835112233",
                ("it",),
                need_pb2.NEED_TYPE_MARKET_ENTRY,
                "Entrata nel mercato francese per olio extravergine DOP",
                "Il frantoio vuole vendere olio extravergine DOP a gastronomie in Francia e "
                "cerca uno studio di mercato e contatti con importatori.",
                ("FR",),
                ("olio extravergine", "DOP", "export alimentare"),
            ),
        ],
        DemoExpert(
            "Giulia Lorusso",
            "g.lorusso@sviluppobasilicata.example",
            "Consulenza per l'export agroalimentare",
            "Strategie di ingresso nei mercati UE per PMI agroalimentari, etichettatura e "
            "fiere di settore.",
            ("export agroalimentare", "etichettatura UE"),
            ("10", "11"),
            ("FR", "DE", "ES"),
            ("it", "en", "fr"),
            (common_pb2.SERVICE_TYPE_MARKET_STUDY, common_pb2.SERVICE_TYPE_CONSULTING),
        ),
    ),
    "gr-attica": (
        [
            DemoSme(
                "olympia",
                "Olympia Foods A.E.",
                "Olympia",
                "EL094014201",
                "10.89",
                24,
                3_100_000,
                1998,
                "Leoforos Kifisias 120",
                "11526",
                "Athens",
                "GR",
                "Γιώργος Παπαδόπουλος",
                "g.papadopoulos@olympiafoods.example",
                "+302106123456",
                ("el", "en"),
                need_pb2.NEED_TYPE_TECHNOLOGY,
                "Τεχνολογία συσκευασίας για έτοιμα γεύματα",
                "Αναζητούμε τεχνολογία συσκευασίας τροποποιημένης ατμόσφαιρας για να αυξήσουμε "
                "τη διάρκεια ζωής των έτοιμων γευμάτων.",
                ("IT", "ES"),
                ("συσκευασία", "έτοιμα γεύματα"),
            ),
        ],
        DemoExpert(
            "Eleni Markou",
            "e.markou@eba.example",
            "Technology transfer in food packaging",
            "Brokerage between SMEs and research labs on packaging and shelf life.",
            ("food technology", "technology transfer"),
            ("10",),
            ("GR", "CY", "IT"),
            ("el", "en"),
            (common_pb2.SERVICE_TYPE_TECHNOLOGY_TRANSFER,),
        ),
    ),
    "gr-west": (
        [
            DemoSme(
                "achaia",
                "Achaia Software I.K.E.",
                "AchaiaSoft",
                "EL997654320",
                "62.01",
                14,
                900_000,
                2015,
                "Odos Maizonos 45",
                "26221",
                "Patras",
                "GR",
                "Nikos Ioannou",
                "nikos@achaiasoft.example",
                "+302610445566",
                ("el", "en"),
                need_pb2.NEED_TYPE_RD_PARTNER,
                "R&D partner for precision agriculture software",
                "We develop farm management software and look for a university or company "
                "partner for a Horizon Europe proposal on soil sensors.",
                ("IT", "ES", "FR"),
                ("precision agriculture", "IoT", "Horizon Europe"),
            ),
        ],
        DemoExpert(
            "Dimitra Kosta",
            "d.kosta@upatras.example",
            "EU funding for digital SMEs",
            "Support in preparing Horizon Europe and Interreg proposals.",
            ("EU funding", "proposal writing"),
            ("62", "72"),
            ("GR",),
            ("el", "en"),
            (common_pb2.SERVICE_TYPE_FINANCING_ADVICE,),
        ),
    ),
    "fr-marseille": (
        [
            DemoSme(
                "savonnerie",
                "Savonnerie du Vieux Port SAS",
                "Vieux Port Savons",
                "FR91403123458",
                "20.41",
                17,
                2_300_000,
                1992,
                "12 rue de la République",
                "13002",
                "Marseille",
                "FR",
                "Claire Martin",
                "c.martin@savonnerie-vp.example",
                "+33491234567",
                ("fr", "en"),
                need_pb2.NEED_TYPE_BUSINESS_PARTNER,
                "Partenaire commercial pour savons naturels en Italie",
                "La savonnerie recherche un agent commercial ou un distributeur pour ses savons "
                "de Marseille certifiés bio auprès des herboristeries italiennes.",
                ("IT",),
                ("cosmétique naturelle", "distribution", "bio"),
            ),
        ],
        DemoExpert(
            "Marc Giraud",
            "m.giraud@ccimp.example",
            "Accompagnement à l'export",
            "Diagnostic export, prospection et salons internationaux pour les PME.",
            ("diagnostic export", "salons internationaux"),
            ("20", "10"),
            ("IT", "ES", "MA"),
            ("fr", "en", "it"),
            (common_pb2.SERVICE_TYPE_CONSULTING, common_pb2.SERVICE_TYPE_MATCHMAKING),
        ),
    ),
    "fr-antipolis": (
        [
            DemoSme(
                "azurdata",
                "AzurData SARL",
                "AzurData",
                "FR59512987652",
                "62.02",
                22,
                1_800_000,
                2012,
                "2000 route des Lucioles",
                "06410",
                "Biot",
                "FR",
                "Sophie Bernard",
                "s.bernard@azurdata.example",
                "+33612345678",
                ("fr", "en"),
                need_pb2.NEED_TYPE_FINANCING,
                "Financement pour une plateforme d'IA industrielle",
                "Nous cherchons un investisseur ou une subvention pour industrialiser notre "
                "plateforme de maintenance prédictive.",
                ("FR", "DE"),
                ("intelligence artificielle", "maintenance prédictive"),
            ),
        ],
        DemoExpert(
            "Julien Moreau",
            "j.moreau@antipolis.example",
            "Levée de fonds deeptech",
            "Préparation des levées de fonds et dossiers EIC Accelerator.",
            ("levée de fonds", "EIC Accelerator"),
            ("62", "72"),
            ("FR", "EU"),
            ("fr", "en"),
            (common_pb2.SERVICE_TYPE_FINANCING_ADVICE,),
        ),
    ),
    "es-balears": (
        [
            DemoSme(
                "tramuntana",
                "Tramuntana Tech, S.L.",
                "Tramuntana Tech",
                "ESB07123458",
                "72.19",
                11,
                750_000,
                2017,
                "Carrer de Sant Miquel 30",
                "07002",
                "Palma",
                "ES",
                "Marta Ferrer",
                "marta@tramuntanatech.example",
                "+34971123456",
                ("es", "ca", "en"),
                need_pb2.NEED_TYPE_TECHNOLOGY,
                "Tecnología de desalinización solar para hoteles",
                "Buscamos socios tecnológicos para adaptar un sistema de desalinización solar a "
                "pequeños hoteles de las islas.",
                ("GR", "MT", "IT"),
                ("desalinización", "energía solar", "turismo"),
            ),
        ],
        DemoExpert(
            "Pau Serra",
            "p.serra@fueib.example",
            "Innovación en turismo sostenible",
            "Asesoramiento en innovación y sostenibilidad para pymes turísticas.",
            ("turismo sostenible", "innovación"),
            ("55", "79"),
            ("ES", "GR", "MT"),
            ("es", "ca", "en"),
            (common_pb2.SERVICE_TYPE_CONSULTING, common_pb2.SERVICE_TYPE_CAPACITY_BUILDING),
        ),
    ),
    "mt-isla": (
        [
            DemoSme(
                "bahar",
                "Bahar Marine Ltd",
                "Bahar Marine",
                "MT12345634",
                "30.12",
                8,
                600_000,
                2009,
                "Triq il-Marina 5",
                "ISL 1010",
                "Isla",
                "MT",
                "Joseph Camilleri",
                "joseph@baharmarine.example",
                "+35621234567",
                ("mt", "en"),
                need_pb2.NEED_TYPE_TRAINING,
                "Taħriġ fil-kompożiti għal dgħajjes",
                "Il-kumpanija tfittex taħriġ dwar materjali kompożiti għat-tiswija ta' dgħajjes "
                "tal-pjaċir għall-ħaddiema tagħha.",
                ("IT", "FR"),
                ("kompożiti", "tiswija ta' dgħajjes"),
            ),
        ],
        DemoExpert(
            "Maria Borg",
            "m.borg@isla.example",
            "Maritime skills and training",
            "Training plans for boat builders and repairers.",
            ("maritime training", "composites"),
            ("30", "33"),
            ("MT", "IT"),
            ("mt", "en"),
            (common_pb2.SERVICE_TYPE_CAPACITY_BUILDING,),
        ),
    ),
}

_SCORES = (3, 2, 3, 1, 2, 2, 3, 2, 3)
_DIMENSIONS = [
    name for name in assessment_pb2.ReadinessDimension.keys() if not name.endswith("_UNSPECIFIED")
]


def _timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def seed_region(
    client: NodeClient, region: str, expert: NodeClient | None = None
) -> dict[str, int]:
    """Creates the region's demo records (or finds them from an earlier run); returns counts.

    `client` acts as the region's cluster manager; the expert offer is made by `expert`, the
    region's demo expert, who then manages it (default: `client`)."""
    expert_client = expert or client
    smes, expert_profile = _DEMO[region]
    # The expiry is a fixed date (end of next year) so that a second seeding sends the same
    # request and gets the first result back.
    next_year = datetime.now(UTC).year + 1
    expiry = _timestamp(datetime(next_year, 12, 31, 23, 59, tzinfo=UTC))
    counts = {"organisations": 0, "needs": 0, "expert_offers": 0}
    for sme in smes:
        organisation = client.organisations.CreateOrganisation(
            organisation_pb2.CreateOrganisationRequest(
                request_id=_request_id(region, f"sme/{sme.key}"),
                organisation=organisation_pb2.Organisation(
                    legal_name=sme.legal_name,
                    trading_names=[sme.trading_name],
                    vat_id=sme.vat_id,
                    nace_code=sme.nace_code,
                    employees=sme.employees,
                    turnover_eur=sme.turnover_eur,
                    year_founded=sme.year_founded,
                    export_status=organisation_pb2.EXPORT_STATUS_OCCASIONAL,
                    address=common_pb2.Address(
                        street=sme.street,
                        postcode=sme.postcode,
                        locality=sme.locality,
                        country_code=sme.country,
                    ),
                    contacts=[
                        common_pb2.Contact(
                            name=sme.contact_name,
                            role="owner",
                            email=sme.contact_email,
                            phone=sme.contact_phone,
                        )
                    ],
                    languages=list(sme.languages),
                    consents=[
                        organisation_pb2.Consent(
                            purpose=organisation_pb2.CONSENT_PURPOSE_NETWORK_SHARING, granted=True
                        )
                    ],
                ),
            )
        ).organisation
        counts["organisations"] += 1
        client.assessments.CreateAssessment(
            assessment_pb2.CreateAssessmentRequest(
                request_id=_request_id(region, f"assessment/{sme.key}"),
                assessment=assessment_pb2.Assessment(
                    organisation_id=organisation.id,
                    scores=[
                        assessment_pb2.DimensionScore(dimension=dimension, score=score)
                        for dimension, score in zip(_DIMENSIONS, _SCORES, strict=True)
                    ],
                    notes="First readiness audit.",
                ),
            )
        )
        client.business_plans.CreateBusinessPlan(
            business_plan_pb2.CreateBusinessPlanRequest(
                request_id=_request_id(region, f"plan/{sme.key}"),
                business_plan=business_plan_pb2.BusinessPlan(
                    organisation_id=organisation.id,
                    title=f"{sme.trading_name}: 2InS business plan",
                    sections=[
                        business_plan_pb2.PlanSection(
                            kind=business_plan_pb2.PLAN_SECTION_KIND_SUMMARY,
                            content=sme.need_description,
                        )
                    ],
                    financial_years=[
                        business_plan_pb2.FinancialYear(
                            year=year,
                            revenue_eur=sme.turnover_eur * (100 + 10 * year) // 100,
                            operating_costs_eur=sme.turnover_eur * 9 // 10,
                            export_share_percent=10 * year,
                        )
                        for year in (1, 2, 3)
                    ],
                ),
            )
        )
        need = client.needs.CreateNeed(
            need_pb2.CreateNeedRequest(
                request_id=_request_id(region, f"need/{sme.key}/{next_year}"),
                need=need_pb2.Need(
                    organisation_id=organisation.id,
                    type=sme.need_type,
                    title=sme.need_title,
                    description=sme.need_description,
                    nace_codes=[sme.nace_code],
                    target_countries=list(sme.need_countries),
                    languages=list(sme.languages),
                    keywords=list(sme.need_keywords),
                    expire_time=expiry,
                ),
            )
        ).need
        counts["needs"] += 1
        _advance(client.needs.SubmitNeed, need_pb2.SubmitNeedRequest(id=need.id))
        # One or two demo SMEs a region are too few for the k-anonymity guard: publishing
        # them is the demo cluster manager's decision.
        _advance(
            client.needs.PublishNeed,
            need_pb2.PublishNeedRequest(
                id=need.id,
                override_k_anonymity=True,
                override_reason="demo data: too few SMEs in a demo region for k-anonymity",
            ),
        )
    offer = expert_client.expert_offers.CreateExpertOffer(
        expert_offer_pb2.CreateExpertOfferRequest(
            request_id=_request_id(region, "expert"),
            expert_offer=expert_offer_pb2.ExpertOffer(
                title=expert_profile.title,
                description=expert_profile.description,
                expert=common_pb2.Contact(
                    name=expert_profile.name, email=expert_profile.email, role="expert"
                ),
                competences=list(expert_profile.competences),
                nace_codes=list(expert_profile.nace_codes),
                countries=[country for country in expert_profile.countries if country != "EU"],
                languages=list(expert_profile.languages),
                service_types=list(expert_profile.service_types),
                capacity_hours_per_month=20,
            ),
        )
    ).expert_offer
    counts["expert_offers"] += 1
    _advance(
        expert_client.expert_offers.PublishExpertOffer,
        expert_offer_pb2.PublishExpertOfferRequest(id=offer.id),
    )
    return counts


def _advance(method: grpc.UnaryUnaryMultiCallable[Any, Any], request: object) -> None:
    """Runs a lifecycle step unless an earlier seeding already made it."""
    try:
        method(request, timeout=10)
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.FAILED_PRECONDITION:
            raise


#: One 2InSNet knowledge item per region, in the region's language: (kind, title, summary,
#: body, languages, tags).
_KNOWLEDGE: dict[str, tuple[int, str, str, str, tuple[str, ...], tuple[str, ...]]] = {
    "gr-attica": (
        knowledge_pb2.KNOWLEDGE_KIND_METHOD,
        "Έλεγχος ετοιμότητας εξαγωγών σε μία ημέρα",
        "Μια δομημένη επίσκεψη μίας ημέρας που δείχνει σε μια ΜμΕ τι λείπει για την πρώτη "
        "της εξαγωγή.",
        "Πρωί: συνέντευξη με τη διοίκηση για αγορές-στόχους και παραγωγική ικανότητα. "
        "Μεσημέρι: έλεγχος ετικετών, πιστοποιήσεων και τιμολόγησης. Απόγευμα: σχέδιο δράσης "
        "τριών μηνών με υπεύθυνους και προθεσμίες.",
        ("el", "en"),
        ("εξαγωγές", "αξιολόγηση"),
    ),
    "gr-west": (
        knowledge_pb2.KNOWLEDGE_KIND_CASE_STUDY,
        "Από το ελαιοτριβείο στο ράφι της Γερμανίας",
        "Πώς ένας μικρός παραγωγός ελαιολάδου βρήκε διανομέα μέσα από έκθεση και δοκιμαστική "
        "παραγγελία.",
        "Ο παραγωγός ξεκίνησε με συμμετοχή σε περιφερειακό περίπτερο σε έκθεση τροφίμων. Η "
        "πρώτη δοκιμαστική παραγγελία ήταν μικρή, αλλά ο διανομέας ζήτησε ετικέτες στα "
        "γερμανικά και πιστοποίηση βιολογικού. Μέσα σε έναν χρόνο οι εξαγωγές έφτασαν το 15%.",
        ("el",),
        ("ελαιόλαδο", "διανομή", "Γερμανία"),
    ),
    "fr-marseille": (
        knowledge_pb2.KNOWLEDGE_KIND_LESSON_LEARNT,
        "Salons internationaux : préparer les rendez-vous avant de partir",
        "Une PME qui arrive sur un salon sans rendez-vous fixés revient rarement avec un contrat.",
        "Trois semaines avant le salon : liste de vingt acheteurs ciblés, prise de contact, "
        "dix rendez-vous confirmés. Sur place : fiche produit traduite et prix export prêts. "
        "Après : relance sous huit jours.",
        ("fr", "en"),
        ("salons", "prospection"),
    ),
    "fr-antipolis": (
        knowledge_pb2.KNOWLEDGE_KIND_TOOL,
        "Grille d'évaluation d'un partenaire de R&D",
        "Dix critères pour choisir un laboratoire ou une université partenaire d'un projet "
        "d'innovation.",
        "Compétences scientifiques, équipements, expérience avec des PME, propriété "
        "intellectuelle, délais, coûts, langue de travail, références, financement public "
        "accessible, proximité. Chaque critère est noté de 0 à 3.",
        ("fr", "en"),
        ("R&D", "partenariat", "grille"),
    ),
    "it-basilicata": (
        knowledge_pb2.KNOWLEDGE_KIND_METHOD,
        "Il piano di internazionalizzazione in cinque incontri",
        "Cinque incontri di mezza giornata che accompagnano una PMI agroalimentare al primo "
        "ordine estero.",
        "Incontro 1: mercati obiettivo. Incontro 2: prezzi per l'export. Incontro 3: "
        "etichette e norme. Incontro 4: ricerca del distributore. Incontro 5: il primo ordine.",
        ("it", "en"),
        ("export", "agroalimentare"),
    ),
    "es-balears": (
        knowledge_pb2.KNOWLEDGE_KIND_LESSON_LEARNT,
        "La estacionalidad turística como oportunidad de exportación",
        "Las pymes de las islas pueden usar los meses de temporada baja para abrir mercados "
        "exteriores.",
        "Una empresa de alimentación que vendía sobre todo a hoteles dedicó el invierno a "
        "preparar fichas técnicas y muestras para distribuidores de Alemania. La temporada "
        "baja dejó de ser un problema de tesorería.",
        ("es", "ca", "en"),
        ("turismo", "exportación"),
    ),
    "mt-isla": (
        knowledge_pb2.KNOWLEDGE_KIND_CASE_STUDY,
        "A maritime SME finds EU research partners",
        "How a ship-repair firm joined a Horizon Europe consortium through the cluster's "
        "brokerage.",
        "The firm described its need as a technology problem (corrosion monitoring), not as a "
        "funding request. The cluster matched it with two universities; the consortium was "
        "funded at the second attempt.",
        ("en", "mt"),
        ("maritime", "Horizon Europe", "R&D"),
    ),
}


def seed_knowledge(expert: NodeClient, region: str) -> int:
    """The region's demo knowledge item, written and published by its demo expert."""
    if region not in _KNOWLEDGE:
        return 0
    kind, title, summary, body, languages, tags = _KNOWLEDGE[region]
    item = expert.knowledge.CreateKnowledgeItem(
        knowledge_pb2.CreateKnowledgeItemRequest(
            request_id=_request_id(region, "knowledge"),
            knowledge_item=knowledge_pb2.KnowledgeItem(
                kind=kind,  # type: ignore[arg-type]
                title=title,
                summary=summary,
                body=body,
                languages=list(languages),
                tags=list(tags),
            ),
        )
    ).knowledge_item
    _advance(
        expert.knowledge.PublishKnowledgeItem,
        knowledge_pb2.PublishKnowledgeItemRequest(id=item.id),
    )
    return 1


def demo_regions() -> list[str]:
    return sorted(_DEMO)
