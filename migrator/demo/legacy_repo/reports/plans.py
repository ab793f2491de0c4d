"""Tracking plans and the destinations behind them, for the plan digest."""
import requests

from .links import plans_link
from .resource import Resource


class PlanReport(Resource):
    def plan_names(self):
        response = requests.get(plans_link(), headers=self.headers)
        response.raise_for_status()
        return sorted(plan["display_name"] for plan in response.json()["tracking_plans"])

    def destination_states(self, source):
        answer = self._read("sources", source, "destinations")
        return {item["display_name"]: item["enabled"] for item in answer["destinations"]}

    def switch(self, source, destination, enabled):
        body = {"destination": {"enabled": enabled}, "update_mask": {"paths": ["destination.enabled"]}}
        link = self._link("sources", source, "destinations", destination)
        response = requests.patch(link, json=body, headers=self.headers)
        response.raise_for_status()
        return response.json()["enabled"]
