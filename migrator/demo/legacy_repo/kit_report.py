"""A report through the admin kit: answers come back from the model classes, read here."""
import os

from admin_kit import ConfigApi

api = ConfigApi(os.environ["SEGMENT_ACCESS_TOKEN"])
workspace = api.workspace("acme")
print("workspace:", workspace.get()["display_name"])
sources, token = [], None
while True:
    page = workspace.sources.list(page_token=token)
    sources += page["sources"]
    token = page.get("next_page_token")
    if not token:
        break
for source in sorted(sources, key=lambda item: item["name"]):
    print(source["name"].split("/")[-1], source["catalog_name"])
web = workspace.sources.source("web")
for destination in web.destinations():
    print("  web ->", destination["name"].split("/")[-1], "enabled" if destination["enabled"] else "disabled")
changed = web.set_destination_enabled("amplitude", False)
print("amplitude now", "enabled" if changed["enabled"] else "disabled")
web.set_destination_enabled("amplitude", True)
