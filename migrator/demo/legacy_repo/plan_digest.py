"""The plan digest: tracking plans, and a destination paused and resumed, through the report package
(URLs built by `reports.links`, a resource class in `reports.resource` its subclass builds on)."""
from reports.plans import PlanReport

if __name__ == "__main__":
    report = PlanReport()
    print("plans:", ", ".join(report.plan_names()[:3]))
    print("ios-app:", sorted(report.destination_states("ios-app").items()))
    print("paused:", report.switch("ios-app", "braze", False) is False)
    print("resumed:", report.switch("ios-app", "braze", True) is True)
