"""One chokepoint every call goes through: the verb, a path relative to the API, a payload, params."""
import json

import requests

from .constants import API_VERSION, SEGMENT_HOST
from .models import Workspaces


class ConfigApi:
    def __init__(self, token, host=SEGMENT_HOST, version=API_VERSION):
        self.token = token
        self.base = f"{host}/{version}"

    def send_request(self, verb, path, payload=None, params=None):
        params = {key: value for key, value in (params or {}).items() if value is not None}
        response = requests.request(
            verb,
            f"{self.base}/{path}",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            data=json.dumps(payload or {}),
            params=params,
        )
        response.raise_for_status()
        return response.json()

    @property
    def workspaces(self):
        return Workspaces(self)

    def workspace(self, slug):
        return self.workspaces.workspace(slug)
