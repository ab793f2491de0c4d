from __future__ import annotations

import pytest

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.protocol import ManualClock
from migrator.emulator.seed import build_demo

from ..helpers import AsgiClient

CONFIG = "cfg-token"
READ = "cfg-read-token"
PUBLIC = "sgp_" + "p" * 64


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    return Emulator(build_demo(), Tokens(CONFIG, READ, PUBLIC), clock=clock)


@pytest.fixture
def config(emulator: Emulator) -> AsgiClient:
    return AsgiClient(emulator, {"Authorization": f"Bearer {CONFIG}"})


@pytest.fixture
def reader(emulator: Emulator) -> AsgiClient:
    return AsgiClient(emulator, {"Authorization": f"Bearer {READ}"})


@pytest.fixture
def public(emulator: Emulator) -> AsgiClient:
    return AsgiClient(emulator, {"Authorization": f"Bearer {PUBLIC}"})


@pytest.fixture
def anonymous(emulator: Emulator) -> AsgiClient:
    return AsgiClient(emulator)
