"""What every read-back (payment, autopay, plan) needs before it can be said: the account the form chose
and, where money comes from a saved method, that method; when either is gone (removed since), the member
is asked for it again rather than read an answer that no longer holds."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from billing_contract import responses

from .base import BillingAction
from .form_setup import ask_again_for_account
from .lookups import chosen_account, chosen_method
from .payment_methods import ask_again_for_method


class ReadBack(BillingAction, ABC):
    needs_method: ClassVar[bool] = True

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        account = await chosen_account(tracker)
        if account is None:
            return await ask_again_for_account(dispatcher, tracker)
        method = None
        if self.needs_method:
            method = await chosen_method(tracker)
            if method is None:
                return await ask_again_for_method(dispatcher, tracker)
        await self.read_back(dispatcher, tracker, account, method)
        return []

    @abstractmethod
    async def read_back(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        account: responses.AccountSummary,
        method: responses.PaymentMethodOut | None,
    ) -> None: ...
