"""Conversation search over the desk's summary rows: every filter is an indexed column or the trigram-
indexed text, newest first, a page at a time."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from billing_contract.redaction import mask

from .models import Conversation, ConversationIntent

CHANNELS = ("website", "twilio_sms", "rest", "cmdline")


class SearchFilters(BaseModel):
    """What the search form sends; anything out of range is a 422 that names the field."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str | None = Field(None, max_length=40, pattern=r"^[a-z_]*$")
    member: str | None = Field(None, max_length=40, pattern=r"^[A-Za-z0-9-]*$")
    intent: str | None = Field(None, max_length=120, pattern=r"^[A-Za-z0-9_/.-]*$")
    handed_off: bool | None = None
    min_fallbacks: int | None = Field(None, ge=0, le=1000)
    low_confidence: bool | None = None
    text: str | None = Field(None, max_length=200)
    page: int = Field(1, ge=1, le=100000)

    @model_validator(mode="after")
    def dates_in_order(self) -> SearchFilters:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must be on or before date_to")
        return self


@dataclasses.dataclass
class SearchPage:
    rows: list[Conversation]
    page: int
    has_next: bool


def search(session: Session, filters: SearchFilters, page_size: int) -> SearchPage:
    query = _filtered(select(Conversation), filters).order_by(
        Conversation.started_at.desc(), Conversation.sender_id
    )
    # One extra row says whether there is a next page, without a COUNT over the whole table.
    offset = (filters.page - 1) * page_size
    rows = list(session.execute(query.offset(offset).limit(page_size + 1)).scalars())
    return SearchPage(rows=rows[:page_size], page=filters.page, has_next=len(rows) > page_size)


def count(session: Session, filters: SearchFilters) -> int:
    return int(
        session.execute(_filtered(select(func.count()).select_from(Conversation), filters)).scalar_one()
    )


def _filtered(query: Select, filters: SearchFilters) -> Select:
    if filters.date_from:
        query = query.where(Conversation.started_at >= dt.datetime.combine(filters.date_from, dt.time()))
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time())
        query = query.where(Conversation.started_at < end)
    if filters.channel:
        query = query.where(Conversation.channel == filters.channel)
    if filters.member:
        query = query.where(Conversation.member_number == filters.member)
    if filters.intent:
        query = query.where(
            Conversation.sender_id.in_(
                select(ConversationIntent.sender_id).where(ConversationIntent.intent == filters.intent)
            )
        )
    if filters.handed_off is not None:
        query = query.where(Conversation.handed_off.is_(filters.handed_off))
    if filters.min_fallbacks:
        query = query.where(Conversation.fallback_count >= filters.min_fallbacks)
    if filters.low_confidence is True:
        query = query.where(Conversation.low_confidence_count > 0)
    elif filters.low_confidence is False:
        query = query.where(Conversation.low_confidence_count == 0)
    if filters.text:
        # The stored text is masked; so is what is looked for, or a card number would never match anyway.
        needle = mask(filters.text).lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Conversation.search_text.like(f"%{needle}%", escape="\\"))
    return query
