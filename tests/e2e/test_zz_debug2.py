import json


def test_debug2(assistant):
    assistant.reset_billing()
    sender = "dbg2"
    for text in ["pay my medical bill with my bank", "2000100001 04/12/1985 94612", "Minimum due"]:
        print("B:", [m.get("text") for m in assistant.say(sender, text)])
    events = assistant.tracker(sender)["events"]
    for e in events[-25:]:
        if e["event"] in ("bot", "user", "action", "slot"):
            print(json.dumps({k: e.get(k) for k in ("event", "name", "text", "value", "data")})[:300])
