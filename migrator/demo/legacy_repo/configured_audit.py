"""The host and workspace come from settings.json; the paths are relative, versioned Config paths."""
import json
import os
from pathlib import Path

import requests

SOURCES_PATH = "v1beta/workspaces/{}/sources"
DESTINATIONS_PATH = "v1beta/workspaces/{}/sources/{}/destinations"

settings = json.loads((Path(__file__).resolve().parent / "settings.json").read_text())["segment"]
HEADERS = {"Authorization": "Bearer {}".format(os.environ["SEGMENT_ACCESS_TOKEN"])}


def fetch(path):
    response = requests.get(settings["api_host"] + path, headers=HEADERS)
    response.raise_for_status()
    return response.json()


for source in fetch(SOURCES_PATH.format(settings["workspace"]))["sources"]:
    slug = source["name"].split("/")[-1]
    destinations = fetch(DESTINATIONS_PATH.format(settings["workspace"], slug))["destinations"]
    print(slug, len(destinations), "destination(s)")
