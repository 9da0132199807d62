"""What every form's validator shares, so a member can steer any form the same way:

- only what the member answered is checked (not the slots an action cleared to ask again);
- at a read-back, a change ("make it $20", "use the bank") is taken before any yes or no, and read back;
- a button's title typed instead of clicked works as the button;
- another task asked for instead of an answer ("actually nvm, set up autopay instead") leaves the form
  with a word and starts that task; during verification it becomes the request verification leads to;
- a question answered unusably twice in a row becomes an offer of a person, asked as the form's one
  question: "yes" hands the conversation to a billing specialist, "no" asks the question again, and an
  answer to the question is taken as one.

All of it only for a new message: when the form starts, or comes back after a side question, the message
before it was answered already."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from rasa_sdk import FormValidationAction, Tracker, utils
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .base import answering_failures
from .handoff import hand_off
from .request_intents import REQUEST_FOR_INTENT, task_started_by
from .slots import clear_form_slots
from .typed_buttons import payload_answer, typed_button_payload
from .yes_no_answers import answer_events, worded_yes_or_no

# What a member says that answers the form's question, as opposed to a question of their own (an FAQ,
# their balance) or another request, which the rules answer before the form asks again.
ANSWERING_INTENTS = frozenset({"affirm", "deny", "inform", "choose", "nlu_fallback"})
# At a read-back a change is looked for in anything else the member says too: a change read from a
# question only means one more read-back, a change missed ("not the visa, a new one" taken for a question)
# means paying as they said not to. Except these, whose words are about something else: their balance
# names accounts; a person or a stop ends the form anyway.
NOT_A_CHANGE = frozenset({"check_balance", "human_handoff", "cancel", "share_sensitive_number", "restart"})
# The offer of a person, asked in place of the form's question (utter_ask_person_wanted).
PERSON_QUESTION = "person_wanted"
OFFER_AFTER_UNUSABLE = 2
# What the rules answer inside any form before it asks again (assistant/form_rules.py), when NLU is sure
# enough that an unusable answer was one of these instead.
# Answered by the rules, after which the form asks its question again ("wait, where do i pay premiums in
# colorado" at the account question is no account number).
ASIDES = frozenset(
    {"faq", "bot_challenge", "cancel", "human_handoff", "share_sensitive_number", "where_pay_premium"}
)
SHORT_ANSWER_WORDS = 5
QUESTION = re.compile(r"\?|^\s*(what|how|why|when|where|who|which|can|could|do|does|is|are|will)\b", re.I)
# How sure NLU must be that a message asks for another task before a form is left for it.
SWITCH_CONFIDENCE = 0.6
# Sure enough that a request for another task outranks an answer the same sentence seems to give.
PLAIN_SWITCH_CONFIDENCE = 0.9


def _short_answer(said: str) -> bool:
    """A few words and no question: read as an answer whatever NLU made of it."""
    return bool(said) and len(said.split()) <= SHORT_ANSWER_WORDS and not QUESTION.search(said)


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


class BillingFormValidation(FormValidationAction, ABC):
    """A form validator whose billing calls may fail (answered, never a crash), with the steering above.

    A form with a read-back names its yes/no slot in `read_back_slot` and reads changes in
    `changes_at_read_back`; a change clears the yes/no, so the form reads back again and no "yes" ever
    confirms a read-back the member has not heard."""

    read_back_slot: ClassVar[str | None] = None
    # The intents of the requests that start this form ("pay $20" said again at its read-back).
    own_intents: ClassVar[frozenset[str]] = frozenset()
    # Questions whose answer the words make plain whatever NLU read: slot -> does the message answer it
    # ("can i use a different card then" at the method question, read as the FAQ on accepted methods).
    plain_answers: ClassVar[dict[str, Callable[[str], bool]]] = {}

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await answering_failures(super().run(dispatcher, tracker, domain), dispatcher, tracker)

    async def changes_at_read_back(
        self, said: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The answers `said` changes (slot: new value; None asks that question again), {} for none."""
        return {}

    async def answers_to_other_questions(self, said: str, tracker: Tracker) -> dict[str, Any]:
        """Answers a short reply gives to this form's questions other than the one asked ("statement
        balance" at the method question): taken, and the question asked again; {} for none."""
        return {}

    def answers_in_request(self, said: str) -> dict[str, Any]:
        """Answers the request that starts the form already gives ("... his account is 2000200001"), for
        forms a rule starts directly (the gates take them in actions/form_setup.py); only clean values."""
        return {}

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        if tracker.get_slot("person_offered_for"):
            return SlotSet("requested_slot", PERSON_QUESTION)
        return await super().next_requested_slot(dispatcher, tracker, domain)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not self._new_message(tracker):
            # Not a new message: the form is starting (the request's own answers are checked) or coming
            # back after a side question, whose message was answered already and steers nothing.
            _, validated = await self._validated_answers(dispatcher, tracker, domain)
            if tracker.get_slot("requested_slot") is None:
                said = tracker.latest_message.get("text") or ""
                validated = {**self.answers_in_request(said), **validated}
            return [SlotSet(name, value) for name, value in validated.items()] + self._counting_aside(tracker)
        if tracker.get_slot("requested_slot") == PERSON_QUESTION and tracker.get_slot("person_offered_for"):
            return await self._answer_to_offer(dispatcher, tracker, domain)
        if self._plainly_another_task(tracker):
            # "i cant pay all that, can i do a payment plan instead": the request wins over any answer in it.
            switched = self._switching_task(dispatcher, tracker)
            if switched:
                return switched
        changed = await self._read_back_changes(dispatcher, tracker)
        if changed:
            return changed
        # Validated aside: if the message asks for another task, "I couldn't read an amount" is not said.
        heard = CollectingDispatcher()
        answers, validated = await self._validated_answers(heard, tracker, domain)
        asked = tracker.get_slot("requested_slot")
        if validated.get(asked) is None:
            plain = await self._plain_answer(asked, dispatcher, tracker, domain)
            if plain:
                return plain
            typed = await self._typed_button_answer(asked, dispatcher, tracker, domain)
            if typed:
                return typed
            worded = self._worded_yes_or_no(asked, tracker)
            if worded:
                return worded
            if asked not in answers:
                short = await self._short_answer_taken_for_something_else(asked, tracker, domain)
                if short:
                    return short
            ahead = await self._answer_to_another_question(asked, dispatcher, tracker, domain)
            if ahead:
                return ahead
            switched = self._switching_task(dispatcher, tracker)
            if switched:
                return switched
        dispatcher.messages.extend(heard.messages)
        if validated.get(asked) is not None:
            # "the 12th, statement balance" to the day question: the amount rule is taken too.
            validated = {**await self._other_answers(asked, tracker, domain, dispatcher), **validated}
        events: list[EventType] = [SlotSet(name, value) for name, value in validated.items()]
        return events + self._counting_unusable(tracker, answers, validated)

    async def _plain_answer(
        self, asked: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The events of a message whose words answer `asked` (`plain_answers`), [] for any other."""
        said = (tracker.latest_message.get("text") or "").strip()
        answers = self.plain_answers.get(asked or "")
        validate = getattr(self, f"validate_{asked}", None)
        if answers is None or validate is None or not answers(said):
            return []
        result = await utils.call_potential_coroutine(validate(said, dispatcher, tracker, domain))
        return _answer_taken(result)

    async def _typed_button_answer(
        self, asked: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The events of a button title typed as the answer to `asked`, [] when it was no such title or the
        button's answer does not fit (the message is then read as anything else)."""
        payload = typed_button_payload(tracker)
        answer = payload_answer(payload) if asked and payload else None
        if asked is None or answer is None:
            return []
        if isinstance(answer, bool) and asked != self.read_back_slot:
            answer = "yes" if answer else None  # "Yes" to "Use your Visa?": the method question's yes
        validate = getattr(self, f"validate_{asked}", None)
        result = {asked: answer}
        if validate is not None and answer is not None:
            result = await utils.call_potential_coroutine(validate(answer, dispatcher, tracker, domain))
        if result.get(asked) is None:
            return []
        return _answer_taken(result)

    def _worded_yes_or_no(self, asked: str | None, tracker: Tracker) -> list[EventType]:
        """A plain yes or no to the read-back that NLU did not read as one ("yes please stop it"); a hedged
        one ("yes but ...") is not taken."""
        if asked != self.read_back_slot or latest_intent(tracker) in ("affirm", "deny"):
            return []
        answer = worded_yes_or_no(tracker)
        return [] if answer is None else answer_events(tracker, answer)

    async def _short_answer_taken_for_something_else(
        self, asked: str | None, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """A short reply that is no question ("the medical bill one") which NLU placed elsewhere (an FAQ
        about medical bills), so the form's mapping skipped it: taken when it answers the question."""
        said = (tracker.latest_message.get("text") or "").strip()
        validate = getattr(self, f"validate_{asked}", None) if asked else None
        if validate is None or not _short_answer(said):
            return []
        quiet = CollectingDispatcher()  # no "I couldn't read that" for a reply that was never meant as one
        result = await utils.call_potential_coroutine(validate(said, quiet, tracker, domain))
        if result.get(asked) is None:
            return []
        # "the 12th, statement balance" (read as a balance question) to the day question: the amount too.
        result = {**await self._other_answers(asked, tracker, domain, quiet), **result}
        return _answer_taken(result)

    async def _answer_to_another_question(
        self, asked: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        said = (tracker.latest_message.get("text") or "").strip()
        if asked is None or not _short_answer(said):
            return []
        taken = await self._other_answers(asked, tracker, domain, dispatcher)
        if not taken:
            return []
        return [SlotSet(asked, None)] + [SlotSet(slot, value) for slot, value in taken.items()]

    async def _other_answers(
        self, asked: str | None, tracker: Tracker, domain: DomainDict, dispatcher: CollectingDispatcher
    ) -> dict[str, Any]:
        """What the latest message answers of this form's questions not yet answered, besides `asked`."""
        said = (tracker.latest_message.get("text") or "").strip()
        if not said or "?" in said:
            return {}
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        found = await self.answers_to_other_questions(said, tracker)
        return {
            slot: value
            for slot, value in found.items()
            if slot in required and slot != asked and tracker.get_slot(slot) is None and value is not None
        }

    def _plainly_another_task(self, tracker: Tracker) -> bool:
        """A whole sentence NLU is sure asks for another form's task (never during verification, whose
        answers may come with a request)."""
        intent = latest_intent(tracker)
        task = task_started_by(intent)
        confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
        said = tracker.latest_message.get("text") or ""
        return (
            task is not None
            and task.endswith("_form")
            and task != self.form_name()
            and intent not in self.own_intents
            and self.form_name() != "verification_form"
            and confidence >= PLAIN_SWITCH_CONFIDENCE
            and len(said.split()) > SHORT_ANSWER_WORDS
        )

    def _switching_task(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The events that leave this form for the task the member asked for instead, [] when they did
        not ask for one (their own request said again is no switch)."""
        intent = latest_intent(tracker)
        task = task_started_by(intent)
        confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
        asked = tracker.get_slot("requested_slot")
        if not asked or confidence < SWITCH_CONFIDENCE:
            return []  # not sure, or the form is only starting: the request that started it is no switch
        unanswered = [SlotSet(asked, None)]
        if intent in ASIDES:
            # "r u a bot" taken as an account number: not an answer; the rules answer it, the form resumes.
            # One that was no real question ("whatever works" read as an FAQ) counts now: coming back, the
            # form sees it stepped aside for the message and counts nothing.
            return unanswered + self._counting_aside(tracker) + [ActionExecutionRejected(self.form_name())]
        if task is None or intent in self.own_intents or task == self.form_name():
            return []
        if self.form_name() == "verification_form" and intent in REQUEST_FOR_INTENT:
            # Verification goes on; what it leads to is the request made now.
            dispatcher.utter_message(response="utter_request_after_verification")
            said = tracker.latest_message.get("text") or ""
            return unanswered + [SlotSet("pending_request", task), SlotSet("request_text", said)]
        if not task.endswith("_form"):
            # A request answered at once (a balance, a statement): the rules answer it and the form goes on.
            return unanswered + [ActionExecutionRejected(self.form_name())]
        dispatcher.utter_message(response="utter_form_left")
        return clear_form_slots() + [ActionExecutionRejected(self.form_name())]

    def _new_message(self, tracker: Tracker) -> bool:
        """Is this run the form's first answer to the member's latest message? (Rasa hands the validator a
        tracker that ends with this form's own run.) Not when an action came between: a gate starting the
        form, or a side question answered before the form comes back."""
        since: list[str] = []
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                break
            if event.get("event") in ("action", "action_execution_rejected"):
                since.append(str(event.get("name")))
        return since in ([], [self.form_name()])

    async def _validated_answers(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The member's answers and what the validate_<slot> methods made of them. The slots set just
        before this run include those the previous action cleared to None (verification clearing its
        answers to ask again, a gate picking the account); those are no answers: they are neither
        validated (no "that doesn't look right" for a question not yet asked) nor set again."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        answers = {
            name: value
            for name, value in tracker.slots_to_validate().items()
            if name in required and value is not None
        }
        validated = dict(answers)
        for name, value in answers.items():
            validate = getattr(self, f"validate_{name}", None)
            if validate is None:
                continue
            result = await utils.call_potential_coroutine(validate(value, dispatcher, tracker, domain))
            validated.update(result)
            tracker.slots.update(result)  # as rasa_sdk does: later validators see earlier results
        return answers, validated

    async def _read_back_changes(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if self.read_back_slot is None or tracker.get_slot("requested_slot") != self.read_back_slot:
            return []
        said = tracker.latest_message.get("text") or ""
        if latest_intent(tracker) in NOT_A_CHANGE or said.startswith("/"):
            return []
        changes = await self.changes_at_read_back(said, dispatcher, tracker)
        if not changes:
            return []
        return [SlotSet(name, value) for name, value in {**changes, self.read_back_slot: None}.items()]

    def _counting_unusable(
        self, tracker: Tracker, answers: dict[str, Any], validated: dict[str, Any]
    ) -> list[EventType]:
        """Counts unusable answers to the question asked; the second in a row makes the offer. A message
        the form could not take at all (nothing NLU could place, something off-topic) counts too, and is
        still answered by the rules the first time (the form steps aside for it, then asks again)."""
        asked = tracker.get_slot("requested_slot")
        count = int(tracker.get_slot("unusable_answers") or 0)
        not_taken = asked not in answers
        if not_taken and latest_intent(tracker) not in ("nlu_fallback", "out_of_scope"):
            return []  # a side question or a request: the rules answer it
        moved_on = any(value for slot, value in validated.items() if slot != asked)  # a link sent, a fact
        if not not_taken and (validated.get(asked) is not None or moved_on):
            return [SlotSet("unusable_answers", 0)] if count else []
        if count + 1 < OFFER_AFTER_UNUSABLE:
            counted: list[EventType] = [SlotSet("unusable_answers", count + 1)]
            return counted + ([ActionExecutionRejected(self.form_name())] if not_taken else [])
        return [SlotSet("unusable_answers", 0), SlotSet("person_offered_for", asked)]

    def _counting_aside(self, tracker: Tracker) -> list[EventType]:
        """Back from a message the rules answered before this form saw it: off-topic, not understood, or a
        short non-question NLU took for an FAQ ("dont remember" to the date of birth) was no answer to the
        question either, and counts towards the offer of a person."""
        asked = tracker.get_slot("requested_slot")
        said = tracker.latest_message.get("text") or ""
        intent = latest_intent(tracker)
        unanswered = intent in ("out_of_scope", "nlu_fallback") or (intent == "faq" and _short_answer(said))
        if asked in (None, PERSON_QUESTION) or not unanswered or self._saw_latest_message(tracker):
            return []
        count = int(tracker.get_slot("unusable_answers") or 0) + 1
        if count < OFFER_AFTER_UNUSABLE:
            return [SlotSet("unusable_answers", count)]
        return [SlotSet("unusable_answers", 0), SlotSet("person_offered_for", asked)]

    def _saw_latest_message(self, tracker: Tracker) -> bool:
        """Did this form's validator already see (and count) the latest message, stepping aside for it?"""
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                return False
            if event.get("event") == "action_execution_rejected" and event.get("name") == self.form_name():
                return True
        return False

    async def _answer_to_offer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked = tracker.get_slot("person_offered_for")
        offer_answered: list[EventType] = [
            SlotSet("person_offered_for", None),
            SlotSet("unusable_answers", 0),
        ]
        intent = latest_intent(tracker)
        if intent == "affirm":
            events = await hand_off(dispatcher, tracker, "misunderstood", leaving=clear_form_slots())
            if any(isinstance(e, dict) and e.get("name") == "handoff_case" for e in events):
                return events
            return offer_answered  # no specialist reachable: the line was given, the form goes on
        if intent == "deny":
            dispatcher.utter_message(response="utter_keep_going")
            return offer_answered  # the form asks its question again
        if intent not in ANSWERING_INTENTS:
            return []  # a question or another request: the rules answer it, then the form asks again
        said = tracker.latest_message.get("text") or ""
        validate = getattr(self, f"validate_{asked}", None)
        if validate is None:
            return offer_answered + [SlotSet(asked, said)]
        result = await utils.call_potential_coroutine(validate(said, dispatcher, tracker, domain))
        return offer_answered + [SlotSet(name, value) for name, value in result.items()]


def _answer_taken(result: dict[str, Any]) -> list[EventType]:
    """The slots an answer set, and the count of unusable answers back to zero: the member was understood."""
    return [SlotSet(name, value) for name, value in result.items()] + [SlotSet("unusable_answers", 0)]
