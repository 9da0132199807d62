import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.sentence_embeddings import MESSAGE_EMBEDDING, SentenceEncoder
from assistant.nlu.similarity_gate import SimilarityGate

TRAINING = {
    "check_balance": ["what's my balance", "how much do I owe", "what do I owe on my account"],
    "setup_autopay": ["set up autopay", "pay my bill automatically every month"],
    "inform": ["the visa", "$50"],
    "affirm": ["yes go ahead", "yes please do it"],
    "faq/pay_by_phone": ["can I pay my bill over the phone", "is there a number to call to pay"],
    "out_of_scope": [
        "what's the weather today",
        "tell me a joke",
        "who won the game last night",
        "what's the balance on my chase credit card",
    ],
}
CONFIG = {
    **SimilarityGate.get_default_config(),
    "exempt_intents": ["inform", "choose", "affirm"],
    "not_rescued_as": ["inform", "choose", "affirm"],
}
CONTEXT = ExecutionContext(GraphSchema({}), "test")


@pytest.fixture(scope="module")
def storage(tmp_path_factory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


@pytest.fixture(scope="module")
def trained(storage) -> SimilarityGate:
    examples = [
        Message({"text": text, "intent": intent}) for intent, texts in TRAINING.items() for text in texts
    ]
    gate = SimilarityGate.create(CONFIG, storage, Resource("gate"), CONTEXT)
    gate.train(TrainingData(examples))
    return gate


def parse(gate: SimilarityGate, text: str, predicted: str, in_form: str | None = None) -> Message:
    """A message as the classifier and FallbackClassifier leave it: `predicted` at 0.9; `in_form`: the form
    active when it came (as assistant/rasa_patches/conversation_state_for_nlu.py says)."""
    message = Message(
        {
            "text": text,
            "intent": {"name": predicted, "confidence": 0.9},
            "intent_ranking": [{"name": predicted, "confidence": 0.9}],
            "metadata": {"conversation": {"active_loop": in_form}},
        }
    )
    gate.process([message])
    return message


def test_an_off_topic_message_classified_as_billing_falls_back(trained):
    message = parse(trained, "who won the football game yesterday", "check_balance")
    assert message.get("intent")["name"] == "nlu_fallback"
    assert [r["name"] for r in message.get("intent_ranking")] == ["nlu_fallback", "check_balance"]
    # Billing words about another company's bill: nearer the off-topic example than any billing one.
    assert intent(trained, "how much do I owe on my chase visa card", "check_balance") == "nlu_fallback"


def intent(gate: SimilarityGate, text: str, predicted: str, in_form: str | None = None) -> str:
    return parse(gate, text, predicted, in_form).get("intent")["name"]


def test_a_billing_message_in_other_words_keeps_its_intent(trained):
    assert intent(trained, "how much money do I owe you", "check_balance") == "check_balance"
    assert intent(trained, "I'd like automatic payments", "setup_autopay") == "setup_autopay"


def test_the_embedding_the_classifier_left_on_the_message_is_the_one_compared(trained):
    """The classifier encoded the message already (encoder_classifier.py): the gate does not again."""
    message = Message(
        {
            "text": "how much money do I owe you",
            "intent": {"name": "check_balance", "confidence": 0.9},
            "intent_ranking": [{"name": "check_balance", "confidence": 0.9}],
        }
    )
    message.set(MESSAGE_EMBEDDING, SentenceEncoder.bundled().encode(["who won the game last night"])[0])
    trained.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"  # judged by the kept vector, not the text


def test_form_answers_and_buttons_are_never_gated(trained):
    assert intent(trained, "my dog's name is Rex", "inform") == "inform"
    assert intent(trained, '/check_balance{"account": "2"}', "check_balance") == "check_balance"


def test_the_trained_examples_survive_saving_and_loading(trained, storage):
    loaded = SimilarityGate.load(CONFIG, storage, Resource("gate"), CONTEXT)
    assert intent(loaded, "who won the football game yesterday", "check_balance") == "nlu_fallback"
    assert intent(loaded, "how much money do I owe you", "check_balance") == "check_balance"


def test_a_billing_message_turned_away_is_read_as_its_nearest_billing_example(trained):
    message = parse(trained, "what do i owe on my account right now", "out_of_scope")
    assert message.get("intent")["name"] == "check_balance"
    assert [r["name"] for r in message.get("intent_ranking")] == ["check_balance", "out_of_scope"]
    assert intent(trained, "what do i owe on my account right now", "nlu_fallback") == "check_balance"
    # Off-topic, or only a little nearer billing: it stays turned away.
    assert intent(trained, "tell me a funny joke please", "out_of_scope") == "out_of_scope"
    assert intent(trained, "what's the weather like today", "nlu_fallback") == "nlu_fallback"


def test_a_rescued_faq_question_gets_its_answer(trained):
    message = parse(trained, "can i pay my bill by phone", "out_of_scope")
    assert message.get("intent")["name"] == "faq"
    selected = message.get("response_selector")["faq"]["response"]
    assert (selected["intent_response_key"], selected["utter_action"]) == (
        "faq/pay_by_phone",
        "utter_faq/pay_by_phone",
    )


def test_inside_a_form_a_smaller_lead_over_off_topic_is_enough(trained, storage):
    config = {**CONFIG, "rescue_margin": 0.9, "rescue_margin_in_form": 0.0}
    gate = SimilarityGate.load(config, storage, Resource("gate"), CONTEXT)
    said = "how much is owed on it"
    assert intent(gate, said, "out_of_scope") == "out_of_scope"
    assert intent(gate, said, "out_of_scope", in_form="payment_form") == "check_balance"


def test_never_taken_back_as_a_yes_or_a_form_answer(trained, storage):
    """At a read-back a "yes" pays: an off-topic reply nearest a yes example stays turned away."""
    config = {**CONFIG, "rescue_margin_in_form": 0.0}
    gate = SimilarityGate.load(config, storage, Resource("gate"), CONTEXT)
    said = "yes please go ahead and do it"
    assert intent(gate, said, "out_of_scope", in_form="payment_form") != "affirm"
    allowed = SimilarityGate.load({**config, "not_rescued_as": []}, storage, Resource("gate"), CONTEXT)
    assert intent(allowed, said, "out_of_scope", in_form="payment_form") == "affirm"


def test_what_later_components_read_is_left_to_them(trained, storage):
    """Verification details, a plain stop and not knowing are read by their own components, even where any
    lead over the off-topic examples would do."""
    config = {**CONFIG, "rescue_margin": -1.0, "min_rescue_similarity": 0.0}
    gate = SimilarityGate.load(config, storage, Resource("gate"), CONTEXT)
    assert intent(gate, "what do i owe on my account", "out_of_scope") == "check_balance"
    details = "what do i owe on my account 2000100001 04/12/1985 94612"
    assert intent(gate, details, "out_of_scope") == "out_of_scope"
    assert intent(gate, "i will pay my bill later", "nlu_fallback") != "nlu_fallback"
    assert intent(gate, "nvm, i will pay it later", "nlu_fallback") == "nlu_fallback"
    assert intent(gate, "how much do i owe", "out_of_scope") == "check_balance"
    assert intent(gate, "i dont know how much i owe", "out_of_scope") == "out_of_scope"


def test_no_rescue_without_an_example_alike_enough(trained, storage):
    config = {**CONFIG, "min_rescue_similarity": 0.99}
    gate = SimilarityGate.load(config, storage, Resource("gate"), CONTEXT)
    assert intent(gate, "what do i owe on my account right now", "out_of_scope") == "out_of_scope"
