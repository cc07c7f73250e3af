"""Knowledge items of 2InSNet: methods, case studies, lessons learnt and tools shared with the
network. DRAFT → PUBLISHED → WITHDRAWN; no personal data leaves with them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from twoins.node.domain.codes import CodeLists, canonical_codes
from twoins.node.domain.errors import IllegalTransition, Violations
from twoins.node.domain.text import clean_list, clean_text, utc_now


class KnowledgeKind(enum.Enum):
    UNSPECIFIED = 0
    METHOD = 1
    CASE_STUDY = 2
    LESSON_LEARNT = 3
    TOOL = 4


class KnowledgeItemState(enum.Enum):
    UNSPECIFIED = 0
    DRAFT = 1
    PUBLISHED = 2
    WITHDRAWN = 3


MAX_SUMMARY = 1_000
MAX_BODY = 20_000


@dataclass(frozen=True, slots=True)
class KnowledgeItem:
    id: str
    region: str
    kind: KnowledgeKind
    title: str
    summary: str
    body: str
    languages: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    nace_codes: tuple[str, ...] = ()
    state: KnowledgeItemState = KnowledgeItemState.DRAFT
    #: The author (identity subject); empty when a cluster manager wrote it. Never leaves.
    owner: str = ""
    #: The author's name and e-mail as their token gave them, to scrub from the shared text.
    author_name: str = ""
    author_email: str = ""
    create_time: datetime = field(default_factory=utc_now)
    update_time: datetime = field(default_factory=utc_now)
    publish_time: datetime | None = None


def validate_knowledge_item(draft: KnowledgeItem, codes: CodeLists) -> KnowledgeItem:
    violations = Violations()
    path = "knowledge_item"
    if draft.kind is KnowledgeKind.UNSPECIFIED:
        violations.add(f"{path}.kind", "required")
    title = clean_text(
        draft.title, f"{path}.title", violations, required=True, minimum=3, maximum=200
    )
    summary = clean_text(
        draft.summary, f"{path}.summary", violations, required=True, maximum=MAX_SUMMARY
    )
    body = clean_text(draft.body, f"{path}.body", violations, required=True, maximum=MAX_BODY)
    languages = canonical_codes(
        draft.languages, codes.language, f"{path}.languages", violations, minimum=1, maximum=10
    )
    tags = clean_list(list(draft.tags), f"{path}.tags", violations, maximum=20, item_maximum=60)
    nace_codes = canonical_codes(
        draft.nace_codes, codes.nace, f"{path}.nace_codes", violations, maximum=20
    )
    violations.raise_if_any("the knowledge item has invalid fields")
    return replace(
        draft,
        title=title,
        summary=summary,
        body=body,
        languages=tuple(languages),
        tags=tuple(tags),
        nace_codes=tuple(nace_codes),
    )


def publish(item: KnowledgeItem, now: datetime) -> KnowledgeItem:
    if item.state is not KnowledgeItemState.DRAFT:
        raise IllegalTransition(
            f"only a DRAFT knowledge item can be published; this one is {item.state.name}",
            metadata={"state": item.state.name},
        )
    return replace(item, state=KnowledgeItemState.PUBLISHED, update_time=now, publish_time=now)


def withdraw(item: KnowledgeItem, now: datetime) -> KnowledgeItem:
    if item.state is KnowledgeItemState.WITHDRAWN:
        raise IllegalTransition(
            "the knowledge item is already withdrawn", metadata={"state": item.state.name}
        )
    return replace(item, state=KnowledgeItemState.WITHDRAWN, update_time=now)
