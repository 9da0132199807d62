from __future__ import annotations

from fastapi import APIRouter, Depends

from .. import schemas
from ..assistance import prescreen
from ..settings import BillingSettings
from .deps import get_settings

router = APIRouter(prefix="/assistance", tags=["financial assistance"])


@router.post("/prescreen", response_model=schemas.AssistancePrescreenOut)
def assistance_prescreen(
    body: schemas.AssistancePrescreenRequest, settings: BillingSettings = Depends(get_settings)
) -> schemas.AssistancePrescreenOut:
    """Whether a household's yearly income is within the plan's financial-assistance income limit (a share
    of the federal poverty guideline, set by BILLING_FA_POVERTY_*). Non-binding: only an application decides;
    nothing is stored and no member is named."""
    return prescreen(settings, body)
