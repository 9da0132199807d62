"""How `make evaluate` turns parses into figures: what the assistant would do, and which answers to an
off-topic message count as turning it away or as taking it for billing. No model needed."""

from __future__ import annotations

from assistant.evaluation import Prediction, behaviour, evaluation_figures


def parsed(intent: str, faq_answer: str = None) -> dict:
    result = {"text": "x", "intent": {"name": intent, "confidence": 0.9}, "response_selector": {}}
    if faq_answer:
        result["response_selector"] = {"faq": {"response": {"intent_response_key": faq_answer}}}
    return result


def predicted(label: str, prediction: str) -> Prediction:
    return Prediction(text=f"{label}->{prediction}", label=label, predicted=prediction, seconds=0.01)


def test_faq_counts_as_the_answer_the_response_selector_picked():
    assert behaviour(parsed("faq", "faq/why_bill")) == "faq/why_bill"
    assert behaviour(parsed("faq")) == "faq"


def test_the_final_intent_counts_whatever_the_classifier_ranked_first():
    assert behaviour(parsed("nlu_fallback")) == "nlu_fallback"
    assert behaviour(parsed("share_sensitive_number")) == "share_sensitive_number"
    assert behaviour({"text": "x", "intent": None}) == "nlu_fallback"


def test_off_topic_figures_separate_turned_away_harmless_and_billing():
    off_topic = [
        predicted("out_of_scope", "out_of_scope"),
        predicted("out_of_scope", "nlu_fallback"),
        predicted("out_of_scope", "greet"),
        predicted("out_of_scope", "faq/why_bill"),
        predicted("out_of_scope", "make_payment"),
    ]
    figures = evaluation_figures([predicted("check_balance", "check_balance")], off_topic)

    assert figures["out_of_scope"]["rejection_rate"] == 0.4
    assert figures["out_of_scope"]["off_topic_to_billing_rate"] == 0.4
    assert figures["out_of_scope"]["to_billing_by_behaviour"] == {"faq/why_bill": 1, "make_payment": 1}
    # Issue 9's narrower target: only the payment started a flow; the FAQ answer did not.
    assert figures["out_of_scope"]["off_topic_starting_a_flow_rate"] == 0.2


def test_in_scope_accuracy_leaves_out_scope_labels_and_counts_rejections():
    first = [
        predicted("check_balance", "check_balance"),
        predicted("faq/why_bill", "faq/eob_higher_bill"),
        predicted("make_payment", "nlu_fallback"),
        predicted("out_of_scope", "out_of_scope"),
    ]
    figures = evaluation_figures(first, [first[-1]])

    assert figures["in_scope"] == {"n": 3, "correct": 1, "accuracy": 0.3333, "wrongly_rejected": 0.3333}
    row = figures["per_behaviour"]["faq/why_bill"]
    assert (row["n"], row["correct"], row["most_confused_with"]) == (1, 0, "faq/eob_higher_bill")
    assert figures["per_behaviour"]["out_of_scope"]["accuracy"] == 1.0


def test_floors_fail_only_the_figures_that_miss_them():
    from argparse import Namespace

    from assistant.evaluation import missed_floors

    summary = {
        "in_scope_accuracy": 0.81,
        "out_of_scope_rejection_rate": 0.95,
        "in_scope_wrongly_rejected": 0.02,
        "off_topic_to_billing_rate": 0.05,
        "off_topic_starting_a_flow_rate": 0.02,
    }
    gates = Namespace(
        min_in_scope_accuracy=0.95,
        min_out_of_scope_rejection=0.9,
        max_in_scope_rejected=0.03,
        max_off_topic_to_billing=0.01,
        max_off_topic_starting_a_flow=0.01,
    )

    missed = missed_floors(summary, gates)

    assert len(missed) == 3
    assert missed[0].startswith("in_scope_accuracy 81.0% is below 95.0%")
    assert missed[1].startswith("off_topic_to_billing_rate 5.0% is above 1.0%")
    assert missed[2].startswith("off_topic_starting_a_flow_rate 2.0% is above 1.0%")
    assert (
        missed_floors(
            summary,
            Namespace(
                min_in_scope_accuracy=None,
                min_out_of_scope_rejection=None,
                max_in_scope_rejected=None,
                max_off_topic_to_billing=None,
                max_off_topic_starting_a_flow=None,
            ),
        )
        == []
    )
