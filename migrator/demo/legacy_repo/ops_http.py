"""HTTP helpers the nightly jobs share: one place for timeouts and for turning errors into exceptions."""
import requests

TIMEOUT = 30


class HttpFailure(Exception):
    pass


def get_json(url, token, **params):
    response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, params=params, timeout=TIMEOUT)
    if response.status_code >= 400:
        raise HttpFailure(f"{response.status_code}: {response.json().get('error')}")
    return response.json()
