"""Redis for the scale tests (PostgreSQL comes from postgres_for_tests)."""

import pytest
import redis

from postgres_for_tests import unavailable


@pytest.fixture
def redis_available():
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
