"""The financial-assistance income rule: a non-binding pre-screen of household income against a share of
the federal poverty guideline. It never promises an award; only an application decides."""

from __future__ import annotations

from . import schemas
from .settings import BillingSettings


def income_limit_cents(settings: BillingSettings, household_size: int) -> int:
    guideline = settings.fa_poverty_base_cents + settings.fa_poverty_per_person_cents * (household_size - 1)
    return guideline * settings.fa_poverty_percent // 100


def prescreen(
    settings: BillingSettings, request: schemas.AssistancePrescreenRequest
) -> schemas.AssistancePrescreenOut:
    limit = income_limit_cents(settings, request.household_size)
    return schemas.AssistancePrescreenOut(
        household_size=request.household_size,
        annual_income_cents=request.annual_income_cents,
        income_limit_cents=limit,
        within_guideline=request.annual_income_cents <= limit,
    )
