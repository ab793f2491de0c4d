"""The workspace's inventory: its sources, and how many destinations each one sends to."""
import os

import requests

from . import endpoints

HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


def source_labels():
    response = requests.get(f"{endpoints.CONFIG_API}/workspaces/{endpoints.WORKSPACE}/sources", headers=HEADERS)
    response.raise_for_status()
    return sorted(source["display_name"] for source in response.json()["sources"])


def destination_count(source):
    url = f"{endpoints.CONFIG_API}/workspaces/{endpoints.WORKSPACE}/sources/{source}/destinations"
    response = requests.get(url, headers=HEADERS)
    response.raise_for_status()
    return len(response.json()["destinations"])
