"""Requests released at the same moment from several threads: the race proofs against a real server."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import httpx

Request = tuple[str, dict, dict]  # path, JSON body, headers


def post_at_once(url: str, requests: Sequence[Request]) -> list[httpx.Response]:
    return send_at_once(url, requests)


def send_at_once(
    url: str, requests: Sequence[tuple[str, dict | None, dict]], timeout: float = 60
) -> list[httpx.Response]:
    """POSTs for requests with a body, GETs for those without (None)."""
    barrier = threading.Barrier(len(requests))

    def one(request: tuple[str, dict | None, dict]) -> httpx.Response:
        path, body, headers = request
        with httpx.Client(base_url=url, timeout=timeout) as http:
            barrier.wait()
            if body is None:
                return http.get(path, headers=headers)
            return http.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(one, requests))
