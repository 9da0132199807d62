"""What the SMS channel remembers: delivered MessageSids (to answer a retry once), opt-outs, the
number behind each conversation id, and the numbered choices last offered.

SMS_DATABASE_URL: SQLite under var/ on one machine; in cluster mode the shared PostgreSQL, so every Rasa
replica sees the same retries, opt-outs and menus. Writes that two replicas can race on are
insert-or-keep, never check-then-insert."""

from __future__ import annotations

import datetime as dt
import json
import os

from sqlalchemy import Boolean, Column, DateTime, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.exc import IntegrityError

from .local_database import open_database

metadata = MetaData()
processed = Table(
    "sms_processed_messages",
    metadata,
    Column("message_sid", String(64), primary_key=True),
    Column("received_at", DateTime, nullable=False),
)
subscribers = Table(
    "sms_subscribers",
    metadata,
    Column("conversation_id", String(80), primary_key=True),
    Column("phone", String(32), nullable=False),
    Column("opted_out", Boolean, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
menus = Table(
    "sms_menus",
    metadata,
    Column("conversation_id", String(80), primary_key=True),
    Column("payloads", Text, nullable=False),
)


DEFAULT_URL = "sqlite:///var/sms.db"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class SmsStore:
    def __init__(self, url: str | None = None):
        self.engine = open_database(url or os.environ.get("SMS_DATABASE_URL", DEFAULT_URL), metadata)

    def first_delivery(self, message_sid: str) -> bool:
        """True the first time a MessageSid is seen; Twilio retries deliver the same one again."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(processed).values(message_sid=message_sid, received_at=_now()))
            return True
        except IntegrityError:
            return False

    def remember_number(self, conversation_id: str, phone: str) -> None:
        if self.number_of(conversation_id) is not None:
            return
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(subscribers).values(
                        conversation_id=conversation_id, phone=phone, opted_out=False, updated_at=_now()
                    )
                )
        except IntegrityError:  # the same number's first two texts, on two replicas at once
            pass

    def set_opted_out(self, conversation_id: str, opted_out: bool) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(subscribers)
                .where(subscribers.c.conversation_id == conversation_id)
                .values(opted_out=opted_out, updated_at=_now())
            )

    def opted_out(self, conversation_id: str) -> bool:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(subscribers.c.opted_out).where(subscribers.c.conversation_id == conversation_id)
            ).first()
        return bool(row and row[0])

    def number_of(self, conversation_id: str) -> str | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(subscribers.c.phone).where(subscribers.c.conversation_id == conversation_id)
            ).first()
        return row[0] if row else None

    def save_menu(self, conversation_id: str, payloads: list[str]) -> None:
        with self.engine.begin() as connection:
            connection.execute(menus.delete().where(menus.c.conversation_id == conversation_id))
        if not payloads:
            return
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(menus).values(conversation_id=conversation_id, payloads=json.dumps(payloads))
                )
        except IntegrityError:  # another reply saved its menu meanwhile; the later one wins
            with self.engine.begin() as connection:
                connection.execute(
                    update(menus)
                    .where(menus.c.conversation_id == conversation_id)
                    .values(payloads=json.dumps(payloads))
                )

    def menu(self, conversation_id: str) -> list[str]:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(menus.c.payloads).where(menus.c.conversation_id == conversation_id)
            ).first()
        return json.loads(row[0]) if row else []
