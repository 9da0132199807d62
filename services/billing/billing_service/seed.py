"""Demo members for running and trying the assistant. Seeding twice changes nothing.

Dates are relative to the day of seeding, so the latest statements are always due soon.
The README lists these members and their verification answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import string

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing_contract.account_numbers import is_account_number, is_medical_record_number

from .ledger import record_charge, record_payment
from .models import Account, Autopay, Member, Payment, PaymentMethod, Statement, StatementLine
from .payments import new_confirmation_number
from .processor import SandboxProcessor, store_method

MEMBER_NUMBER_ALPHABET = string.ascii_uppercase + string.digits

# (days before today, provider, procedure, CPT/HCPCS code, ICD-10 code, charges, plan paid, adjustments),
# amounts in cents
Line = tuple[int, str, str, str, str | None, int, int, int]


@dataclasses.dataclass
class DemoStatement:
    days_ago: int
    lines: list[Line]
    paid: bool = False


@dataclasses.dataclass
class DemoAccount:
    number: str
    kind: str
    region: str
    statements: list[DemoStatement]
    coverage_type: str | None = None
    autopay_day: int | None = None

    def __post_init__(self) -> None:
        # Members verify with these numbers: the assistant only reads numbers of the plan's shape.
        if not is_account_number(self.number):
            raise ValueError(f"{self.number} is not shaped like the plan's account numbers")


@dataclasses.dataclass
class DemoMember:
    member_number: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    zip_code: str
    phone: str
    email: str
    region: str
    medical_record_number: str
    accounts: list[DemoAccount]
    # sandbox test numbers: (number or routing:account, expiry month, expiry year)
    methods: list[tuple[str, int, int]]

    def __post_init__(self) -> None:
        if not is_medical_record_number(self.medical_record_number):
            raise ValueError(f"{self.medical_record_number} is not shaped like the plan's record numbers")


def _premium(days_ago: int, coverage: str, cents: int, paid: bool = False) -> DemoStatement:
    return DemoStatement(
        days_ago,
        [
            (
                days_ago,
                "Kaiser Permanente",
                f"Monthly premium, {coverage} coverage",
                "PREMIUM",
                None,
                cents,
                0,
                0,
            )
        ],
        paid,
    )


DEMO_MEMBERS = [
    DemoMember(
        "M100001",
        "Maria",
        "Lopez",
        dt.date(1985, 4, 12),
        "94612",
        "+15105550101",
        "maria.lopez@example.com",
        "Northern California",
        "11000001",
        accounts=[
            DemoAccount(
                "2000100001",
                "medical",
                "Northern California",
                [
                    DemoStatement(
                        45,
                        [
                            (
                                60,
                                "Oakland Medical Center",
                                "Annual physical exam",
                                "99396",
                                "Z00.00",
                                31000,
                                31000,
                                0,
                            ),
                            (
                                60,
                                "Oakland Medical Center Laboratory",
                                "Lipid panel",
                                "80061",
                                "Z13.220",
                                9500,
                                7600,
                                0,
                            ),
                        ],
                        paid=True,
                    ),
                    DemoStatement(
                        12,
                        [
                            (
                                30,
                                "Oakland Medical Center",
                                "Office visit, established patient",
                                "99213",
                                "J06.9",
                                18500,
                                12000,
                                2500,
                            ),
                            (
                                30,
                                "Oakland Medical Center Laboratory",
                                "Rapid strep test",
                                "87880",
                                "J02.9",
                                4200,
                                2900,
                                0,
                            ),
                            (
                                21,
                                "Richmond Medical Offices Imaging",
                                "Chest X-ray, two views",
                                "71046",
                                "R05.9",
                                26400,
                                17610,
                                0,
                            ),
                        ],
                    ),
                ],
            ),
            DemoAccount(
                "2000100002",
                "premium",
                "Northern California",
                [_premium(14, "Individual - Exchange", 38900)],
                coverage_type="Individual - Exchange",
            ),
        ],
        methods=[("4242424242424242", 8, 2029), ("110000000:000123456789", 0, 0)],
    ),
    DemoMember(
        "M100002",
        "James",
        "Carter",
        dt.date(1972, 9, 30),
        "20852",
        "+13015550102",
        "james.carter@example.com",
        "Mid-Atlantic States",
        "11000002",
        accounts=[
            DemoAccount(
                "2000200001",
                "medical",
                "Mid-Atlantic States",
                [
                    DemoStatement(
                        10,
                        [
                            (
                                25,
                                "Rockville Medical Center",
                                "Urgent care visit",
                                "99214",
                                "S93.401A",
                                24000,
                                16500,
                                0,
                            ),
                            (
                                25,
                                "Rockville Medical Center Imaging",
                                "Ankle X-ray, three views",
                                "73610",
                                "S93.401A",
                                15800,
                                14860,
                                0,
                            ),
                        ],
                    ),
                ],
            ),
        ],
        methods=[("5555555555554444", 3, 2028)],
    ),
    DemoMember(
        "M100003",
        "Linda",
        "Nguyen",
        dt.date(1990, 1, 25),
        "80203",
        "+17205550103",
        "linda.nguyen@example.com",
        "Colorado",
        "11000003",
        accounts=[
            DemoAccount(
                "2000300001",
                "premium",
                "Colorado",
                [_premium(40, "COBRA", 61200, paid=True), _premium(9, "COBRA", 61200)],
                coverage_type="COBRA",
            ),
        ],
        methods=[("5555555555554444", 11, 2027), ("4000000000000002", 5, 2030)],
    ),
    DemoMember(
        "M100004",
        "Robert",
        "Kim",
        dt.date(1958, 6, 3),
        "96813",
        "+18085550104",
        "robert.kim@example.com",
        "Hawaii",
        "11000004",
        accounts=[
            DemoAccount(
                "2000400001",
                "medical",
                "Hawaii",
                [
                    DemoStatement(
                        20,
                        [
                            (
                                35,
                                "Honolulu Medical Office",
                                "Office visit, established patient",
                                "99213",
                                "I10",
                                18500,
                                14800,
                                0,
                            ),
                        ],
                        paid=True,
                    ),
                ],
            ),
        ],
        methods=[("378282246310005", 9, 2028)],
    ),
    DemoMember(
        "M100005",
        "Susan",
        "Patel",
        dt.date(1968, 11, 14),
        "30303",
        "+14045550105",
        "susan.patel@example.com",
        "Georgia",
        "11000005",
        accounts=[
            DemoAccount(
                "2000500001",
                "medical",
                "Georgia",
                [
                    DemoStatement(
                        8,
                        [
                            (
                                22,
                                "Atlanta Midtown Medical Center",
                                "Physical therapy, therapeutic exercise",
                                "97110",
                                "M54.50",
                                16500,
                                9900,
                                0,
                            ),
                            (
                                15,
                                "Atlanta Midtown Medical Center",
                                "Physical therapy, manual therapy",
                                "97140",
                                "M54.50",
                                15200,
                                8975,
                                0,
                            ),
                        ],
                    ),
                ],
                autopay_day=15,
            ),
        ],
        methods=[("4242424242424242", 1, 2030)],
    ),
    DemoMember(
        "M100006",
        "David",
        "Johnson",
        dt.date(1979, 3, 8),
        "97201",
        "+15035550106",
        "david.johnson@example.com",
        "Oregon",
        "11000006",
        accounts=[
            DemoAccount(
                "2000600001",
                "medical",
                "Oregon",
                [
                    DemoStatement(
                        11,
                        [
                            (
                                40,
                                "Sunnyside Medical Center",
                                "Knee arthroscopy with meniscus repair",
                                "29882",
                                "S83.241A",
                                1250000,
                                1050000,
                                0,
                            ),
                            (
                                40,
                                "Sunnyside Medical Center Anesthesia",
                                "Anesthesia for knee arthroscopy",
                                "01400",
                                "S83.241A",
                                185000,
                                145000,
                                0,
                            ),
                            (
                                33,
                                "Sunnyside Medical Center",
                                "Post-operative MRI, knee",
                                "73721",
                                "S83.241A",
                                210000,
                                208000,
                                0,
                            ),
                            (
                                26,
                                "Interstate Medical Office",
                                "Physical therapy evaluation",
                                "97161",
                                "S83.241A",
                                21000,
                                18000,
                                0,
                            ),
                        ],
                    ),
                ],
            ),
        ],
        methods=[("4000000000009995", 12, 2029), ("110000000:000123456789", 0, 0)],
    ),
]


def seed_demo_data(session: Session, today: dt.date, *, pin_member_numbers: bool = False) -> int:
    """Adds the demo members that are missing; returns how many were added.

    Member numbers are random unless pinned (tests pin them to DEMO_MEMBERS' numbers, M100001...):
    a sequential number would let anyone who learns one guess the rest. Members verify with the
    README's answers (account or record number, date of birth, ZIP), never with a member number."""
    processor = SandboxProcessor()
    added = 0
    for demo in DEMO_MEMBERS:
        exists = session.execute(
            select(Member.id).where(Member.medical_record_number == demo.medical_record_number)
        ).first()
        if exists:
            continue
        number = demo.member_number if pin_member_numbers else random_member_number()
        _add_member(session, processor, dataclasses.replace(demo, member_number=number), today)
        session.commit()
        added += 1
    return added


def random_member_number() -> str:
    return "M" + "".join(secrets.choice(MEMBER_NUMBER_ALPHABET) for _ in range(10))


def _add_member(session: Session, processor: SandboxProcessor, demo: DemoMember, today: dt.date) -> None:
    now = dt.datetime.combine(today, dt.time(9, 0))
    member = Member(
        member_number=demo.member_number,
        first_name=demo.first_name,
        last_name=demo.last_name,
        date_of_birth=demo.date_of_birth,
        zip_code=demo.zip_code,
        phone=demo.phone,
        email=demo.email,
        region=demo.region,
        medical_record_number=demo.medical_record_number,
    )
    session.add(member)
    session.flush()
    methods = [_add_method(session, processor, member, spec, today, now) for spec in demo.methods]
    for demo_account in demo.accounts:
        account = Account(
            account_number=demo_account.number,
            member_id=member.id,
            kind=demo_account.kind,
            region=demo_account.region,
            coverage_type=demo_account.coverage_type,
            paperless=False,
        )
        session.add(account)
        session.flush()
        for index, demo_statement in enumerate(demo_account.statements):
            _add_statement(
                session, account, demo_statement, methods[0], today, f"{account.account_number}-{index}"
            )
        if demo_account.autopay_day:
            session.add(
                Autopay(
                    account_id=account.id,
                    payment_method_id=methods[0].id,
                    day_of_month=demo_account.autopay_day,
                    amount_rule="statement_balance",
                    enabled=True,
                    updated_at=now,
                )
            )


def _add_method(
    session: Session,
    processor: SandboxProcessor,
    member: Member,
    spec: tuple[str, int, int],
    today: dt.date,
    now: dt.datetime,
) -> PaymentMethod:
    number, exp_month, exp_year = spec
    if ":" in number:
        routing, account_number = number.split(":")
        tokenized = processor.tokenize_bank(session, routing, account_number)
    else:
        cvc = "1234" if number.startswith(("34", "37")) else "123"
        tokenized = processor.tokenize_card(session, number, exp_month, exp_year, cvc, today)
    return store_method(session, tokenized, member_id=member.id, now=now)


def _add_statement(
    session: Session,
    account: Account,
    demo: DemoStatement,
    method: PaymentMethod,
    today: dt.date,
    key: str,
) -> None:
    statement_date = today - dt.timedelta(days=demo.days_ago)
    lines = [
        StatementLine(
            service_date=today - dt.timedelta(days=days),
            provider=provider,
            procedure=procedure,
            procedure_code=code,
            diagnosis_code=diagnosis,
            charges_cents=charges,
            plan_paid_cents=plan_paid,
            adjustments_cents=adjustments,
            member_owes_cents=charges - plan_paid - adjustments,
        )
        for days, provider, procedure, code, diagnosis, charges, plan_paid, adjustments in demo.lines
    ]
    balance = sum(line.member_owes_cents for line in lines)
    minimum = balance if account.kind == "premium" else min(balance, max(2500, balance // 10))
    statement = Statement(
        account_id=account.id,
        statement_date=statement_date,
        due_date=statement_date + dt.timedelta(days=28),
        balance_due_cents=balance,
        minimum_due_cents=minimum,
        lines=lines,
    )
    session.add(statement)
    session.flush()
    issued = dt.datetime.combine(statement_date, dt.time(6, 0))
    record_charge(
        session, account.id, balance, f"Statement of {statement_date.isoformat()}", issued, statement.id
    )
    if demo.paid:
        paid_at = issued + dt.timedelta(days=10)
        payment = Payment(
            account_id=account.id,
            payment_method_id=method.id,
            amount_cents=balance,
            status="succeeded",
            confirmation_number=new_confirmation_number(),
            processor_reference="seed",
            idempotency_key=f"seed:{key}",
            request_fingerprint="seed",
            source="member",
            created_at=paid_at,
        )
        session.add(payment)
        session.flush()
        record_payment(session, account.id, balance, payment.id, paid_at)
