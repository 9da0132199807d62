import os

from tests.e2e.conversations import load_conversations, reply_text


def test_debug(assistant):
    names = os.environ["DEBUG_CONV"].split(",")
    for conversation in load_conversations():
        if conversation["name"] not in names:
            continue
        assistant.reset_billing()
        sender = f"dbg-{conversation['name']}"
        print("\n=====", conversation["name"])
        for turn in conversation["turns"]:
            messages = assistant.say(sender, str(turn["user"]))
            print("  U:", turn["user"])
            print("  B:", reply_text(messages).replace("\n", " / ")[:400])
        print(
            "  events:",
            [
                (e.get("event"), e.get("name"), e.get("value") if e.get("event") == "slot" else None)
                for e in assistant.tracker(sender)["events"]
                if e.get("event") in ("action", "active_loop", "slot")
                and e.get("name") not in ("action_listen",)
            ][-40:],
        )
