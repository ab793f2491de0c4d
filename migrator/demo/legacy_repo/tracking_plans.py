"""Find a tracking plan by display name, add an event to it, connect a source."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
WS = "acme"
AUTH = {"Authorization": f"Bearer {os.environ['SEGMENT_ACCESS_TOKEN']}"}


def plan_by_name(display_name):
    plans = requests.get(f"{API}/workspaces/{WS}/tracking-plans", headers=AUTH, params={"page_size": 100}).json()
    for plan in plans["tracking_plans"]:
        if plan["display_name"] == display_name:
            return requests.get(f"{API}/{plan['name']}", headers=AUTH).json()
    raise SystemExit(f"no plan named {display_name}")


if __name__ == "__main__":
    plan = plan_by_name("Docs Plan")
    print("events:", [event["name"] for event in plan["rules"]["events"]])
    rules = plan["rules"]
    rules["events"].append({"name": "Doc Rated", "description": "A reader rated a page", "version": 1, "rules": {"type": "object"}})
    updated = requests.put(
        f"{API}/{plan['name']}",
        headers=AUTH,
        json={"update_mask": {"paths": ["tracking_plan.rules"]}, "tracking_plan": {"rules": rules}},
    ).json()
    print("events now:", [event["name"] for event in updated["rules"]["events"]])
    plan_id = updated["name"].split("/")[-1]
    requests.post(
        f"{API}/workspaces/{WS}/tracking-plans/{plan_id}/source-connections",
        headers=AUTH,
        json={"source_name": f"workspaces/{WS}/sources/admin-api"},
    ).raise_for_status()
    connections = requests.get(f"{API}/workspaces/{WS}/tracking-plans/{plan_id}/source-connections", headers=AUTH).json()
    print("connected:", sorted(c["source_name"] for c in connections["connections"]))
