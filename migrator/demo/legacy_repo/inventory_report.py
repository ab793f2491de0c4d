"""The weekly inventory, through the reports package."""
from reports import inventory

for label in inventory.source_labels():
    print("source:", label)
for slug in ("web", "ios-app"):
    print(slug, "sends to", inventory.destination_count(slug), "destination(s)")
