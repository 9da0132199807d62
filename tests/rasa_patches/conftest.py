from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from assistant import rasa_patches
from assistant.rasa_patches import endpoint_connections


@pytest.fixture(autouse=True, scope="session")
def installed() -> None:
    """As `python -m assistant.rasa_server` does before Rasa starts."""
    rasa_patches.install()


@pytest.fixture(autouse=True)
async def pooled_connections_closed() -> AsyncIterator[None]:
    """Each test's event loop closes its pooled connections to the action server."""
    yield
    await endpoint_connections.close_sessions()
