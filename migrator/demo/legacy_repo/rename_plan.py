"""Rename the checkout plan and replace its rules, in one Config call."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
AUTH = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


if __name__ == "__main__":
    requests.put(
        f"{API}/workspaces/acme/tracking-plans/rs_o7F1wV3p3Syp1rxcDk0Q1iOcg1B",
        headers=AUTH,
        json={
            "tracking_plan": {
                "display_name": "Checkout Experiments (2027)",
                "rules": {"events": [{"name": "Checkout Started", "version": 1, "rules": {"type": "object"}}]},
            },
            "update_mask": {"paths": ["tracking_plan.display_name", "tracking_plan.rules"]},
        },
    ).raise_for_status()
    print("checkout plan renamed, rules replaced")
