"""workspace-graph-generator's Client, against whatever Segment host is routed. Its constructor mints a
token through `access-tokens` (no Public twin): the driver gives it the token instead."""

import json
import os
import sys

sys.path.insert(0, sys.argv[1])
import generate

client = generate.Client.__new__(generate.Client)
client.token = os.environ["SEGMENT_TOKEN"]
client.workspace = "acme"


def run(name, call):
    try:
        print("method", name, "->", json.dumps(call(), sort_keys=True))
    except Exception as error:
        print("method", name, "-> error", type(error).__name__, str(error)[:80])


sources = []
run("get_sources", lambda: sources.extend(client.get_sources()) or sources)
run("get_destinations(web)", lambda: client.get_destinations(next(s for s in sources if s["name"].endswith("/web"))))
run("get_destinations(each)", lambda: [len(client.get_destinations(s)) for s in sources])
run("Client(user, password, workspace)", lambda: generate.Client("u", "p", "acme").token[:0])
