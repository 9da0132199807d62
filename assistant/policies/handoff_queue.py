"""Dialogue policy: a member handed to a billing specialist who writes again is told they are still in
the queue (action_in_queue), whatever they write, and is never met with silence or answered by the bot
as if no person had been asked for; after the handoff nothing else runs (a form the handoff ended does
not go on to its last step). Asking to stop waiting leaves the queue, and so does a restart: both go to
action_in_queue, which closes the case (so it leaves the desk's queue) and clears the slot, then restarts.

The handoff sets the `handoff_case` slot (actions/handoff.py) instead of pausing the conversation: Rasa
runs no policy on a paused conversation, so it could only stay silent."""

from __future__ import annotations

from typing import Any

from rasa.core.constants import RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, USER_INTENT_SESSION_START
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

CASE_SLOT = "handoff_case"
IN_QUEUE_ACTION = "action_in_queue"
# What Rasa's own rules answer in the queue: a new session (action_session_start keeps the wait).
ANSWERED_BY_RULES = {USER_INTENT_SESSION_START}
QUEUE_PRIORITY = RULE_POLICY_PRIORITY + 1


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True
)
class HandoffQueuePolicy(Policy):
    """Above the rules (RulePolicy's priority is 6) while a handoff case is open."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": QUEUE_PRIORITY}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_DATA

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> HandoffQueuePolicy:
        return cls(config, model_storage, resource, execution_context)

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn: the behaviour is the same for every conversation

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = self._next_action(tracker)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    @staticmethod
    def _next_action(tracker: DialogueStateTracker) -> str | None:
        if not tracker.get_slot(CASE_SLOT):
            # Just left the queue (action_in_queue cleared the case): the member speaks next.
            return ACTION_LISTEN_NAME if tracker.latest_action_name == IN_QUEUE_ACTION else None
        if tracker.latest_action_name == ACTION_LISTEN_NAME:
            if (tracker.latest_message.intent or {}).get("name") in ANSWERED_BY_RULES:
                return None
            return IN_QUEUE_ACTION
        # After anything else (the handoff itself, a form that a handoff ended): wait for the member.
        return ACTION_LISTEN_NAME
