"""Add a destination filter, list the filters, preview one."""
import json
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": f"Bearer {os.environ['SEGMENT_ACCESS_TOKEN']}"}
GA = f"{API}/workspaces/acme/sources/web/destinations/google-analytics"


if __name__ == "__main__":
    new = {"filter": {"title": "Drop bots", "if": "context.userAgent = 'bot'", "actions": [{"type": "drop_event"}], "enabled": True}}
    created = requests.post(f"{GA}/filters", headers=HEADERS, json=new)
    created.raise_for_status()
    print("created:", created.json()["title"], created.json()["actions"][0]["type"])
    for item in requests.get(f"{GA}/filters", headers=HEADERS).json()["filters"]:
        print("filter:", item["title"], [action["type"] for action in item["actions"]], item["enabled"])
    preview = requests.post(
        f"{API}/filters/preview",
        headers=HEADERS,
        json={
            "filter": {"if": "all", "actions": [{"type": "blacklist_fields", "fields": {"properties": {"fields": ["email"]}}}]},
            "input": json.dumps({"type": "track", "properties": {"email": "a@b.c", "plan": "pro"}}),
        },
    ).json()
    print("preview output:", json.loads(preview["output"]))
