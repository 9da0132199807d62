"""NLU component: a question about how a task works that comes with an account or medical record number
("can i pay my husband's bill as a guest? acct 2000400001 last name Kim") asks for the task, not for the
explanation: the FAQ answer is replaced by the request that answer describes, whose form then takes the
details from the message."""

from __future__ import annotations

import datetime as dt

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
            facts = parse_verification_facts(message.get(TEXT) or "", dt.date.today())
            if task is not None and facts.identifier is not None:
                override_intent(message, task)
        return messages
