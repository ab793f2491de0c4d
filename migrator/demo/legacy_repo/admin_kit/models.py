"""Model classes: each knows its own path, built on its parent's, and sends through the client."""
from .constants import DEFAULT_PAGE_SIZE


class Model:
    def __init__(self, api, model_path):
        self.api = api
        self.model_path = model_path

    def send_request(self, verb, suffix="", **kwargs):
        return self.api.send_request(verb, f"{self.model_path}{suffix}", **kwargs)


class Workspaces(Model):
    def __init__(self, api):
        super().__init__(api, "workspaces")

    def workspace(self, slug):
        return Workspace(self, slug)


class Workspace(Model):
    def __init__(self, workspaces, slug):
        super().__init__(workspaces.api, f"{workspaces.model_path}/{slug}")

    def get(self):
        return self.send_request("GET")

    @property
    def sources(self):
        return Sources(self)


class Sources(Model):
    def __init__(self, workspace):
        super().__init__(workspace.api, f"{workspace.model_path}/sources")

    def list(self, page_token=None):
        return self.send_request("GET", params={"page_size": DEFAULT_PAGE_SIZE, "page_token": page_token})

    def source(self, slug):
        return Source(self, slug)


class Source(Model):
    def __init__(self, sources, slug):
        super().__init__(sources.api, f"{sources.model_path}/{slug}")

    def get(self):
        return self.send_request("GET")

    def destinations(self):
        return self.send_request("GET", "/destinations")["destinations"]

    def set_destination_enabled(self, destination, enabled):
        body = {"destination": {"enabled": enabled}, "update_mask": {"paths": ["destination.enabled"]}}
        return self.send_request("PATCH", f"/destinations/{destination}", payload=body)
