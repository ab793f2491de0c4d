"""Create a source and a Slack destination on it, with config."""
import json
import os

import requests

BASE = "https://platform.segmentapis.com/v1beta/"
TOKEN = os.environ["SEGMENT_ACCESS_TOKEN"]
WORKSPACE = "acme"
HEADERS = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}


def create_source(slug, catalog):
    payload = {"source": {"name": "workspaces/" + WORKSPACE + "/sources/" + slug, "catalog_name": "catalog/sources/" + catalog}}
    r = requests.post(BASE + "workspaces/" + WORKSPACE + "/sources", headers=HEADERS, data=json.dumps(payload))
    r.raise_for_status()
    return r.json()


def create_destination(source_name, destination, settings):
    name = f"{source_name}/destinations/{destination}"
    config = [{"name": f"{name}/config/{key}", "value": value, "type": "string"} for key, value in settings.items()]
    payload = {"destination": {"name": name, "connection_mode": "CLOUD", "enabled": True, "config": config}}
    # the source's resource name doubles as its URL path
    r = requests.post(BASE + source_name + "/destinations", headers=HEADERS, data=json.dumps(payload))
    r.raise_for_status()
    return r.json()


if __name__ == "__main__":
    source = create_source("kiosk", "ios")
    print("source", source["name"], source["catalog_name"])
    destination = create_destination(source["name"], "slack", {"incomingWebhookUrl": "https://hooks.example/kiosk"})
    values = {item["name"].rsplit("/", 1)[-1]: item["value"] for item in destination["config"]}
    print("destination", destination["name"], destination["enabled"], values["incomingWebhookUrl"])
