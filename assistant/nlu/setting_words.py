"""NLU component: a message about autopay or paperless billing is read by its words where they say more than
the classifier did: a question about the setting is that question ("so is autopay off now?" read as
cancel_autopay, or as the general autopay FAQ), and words that say which way go that way ("stop mailing me
paper bills" read as paperless_off, "remove the automatic pay" as setup_autopay). Words and classifier
confuse opposite settings most of all; here the words decide, with the classifier's confidence kept."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.parsing.setting_questions import setting_intent, status_asked_in_faq

from .intent_override import IntentOverride, override_intent


def faq_answer(message: Message) -> str | None:
    """The FAQ answer the response selector picked (`faq/<key>`), if any."""
    selected = (message.get("response_selector") or {}).get("faq") or {}
    return (selected.get("response") or {}).get("intent_response_key")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SettingWords(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            read = message.get(INTENT) or {}
            if not read.get("name"):
                continue
            meant = setting_intent(read["name"], text)
            if read["name"] == "faq":
                meant = status_asked_in_faq(faq_answer(message), text) or meant
            if meant and meant != read["name"]:
                override_intent(message, meant, confidence=read.get("confidence") or 0.0)
        return messages
