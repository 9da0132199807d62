"""NLU component: a question about how a task works that comes with an account or medical record number
("can i pay my husband's bill as a guest? acct 2000400001 last name Kim") asks for the task, not for the
explanation: the FAQ answer is replaced by the request that answer describes, whose form then takes the
details from the message."""

from __future__ import annotations

import datetime as dt
import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.parsing.verification_facts import parse_verification_facts

from .intent_override import IntentOverride, override_intent

FAQ_INTENT = "faq"
# The FAQ answers that explain a task the assistant can do, and that task.
TASK_FOR_FAQ = {
    "faq/guest_payment_info": "guest_payment",
    "faq/autopay_info": "setup_autopay",
    "faq/paperless_info": "paperless_on",
    "faq/one_time_payment_info": "make_payment",
    "faq/statements_info": "show_statement",
    "faq/receipts_info": "last_receipt",
}


# The number is said to be one: "acct 2000400001", "my record number is 11000002", "member id 11000002".
LABELLED_NUMBER = re.compile(
    r"\b(?:acct|account|record|mrn|member(?:\s+id)?)\b\W*(?:(?:number|no|num|nbr|id|is|#)\W*)*\d",
    re.IGNORECASE,
)
# Below a plain switch of task (0.9): inside a form such a question is never a reason to leave it.
CONFIDENCE = 0.85


def selected_faq(message: Message) -> str | None:
    selectors = message.get("response_selector") or {}
    selected = selectors.get("faq") or selectors.get("default") or {}
    return (selected.get("response") or {}).get("intent_response_key")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DetailsMeanDoing(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != FAQ_INTENT:
                continue
            task = TASK_FOR_FAQ.get(selected_faq(message) or "")
            text = message.get(TEXT) or ""
            if task is None or not LABELLED_NUMBER.search(text):
                continue
            if parse_verification_facts(text, dt.date.today()).identifier is not None:
                override_intent(message, task, confidence=CONFIDENCE)
        return messages
