import json


def test_debug2(assistant):
    assistant.reset_billing()
    sender = "dbg3"
    for text in [
        "I want to pay my bill",
        "2000100001 04/12/1985 94612",
        "medical",
        "actually nvm, set up autopay instead",
    ]:
        print("B:", [m.get("text") for m in assistant.say(sender, text)])
    events = assistant.tracker(sender)["events"]
    for e in events[-40:]:
        if e["event"] != "slot" or e["name"] in ("requested_slot", "next_step", "account_number"):
            print(
                json.dumps({k: e.get(k) for k in ("event", "name", "text", "value")})[:200],
                (e.get("parse_data") or {}).get("intent"),
            )
