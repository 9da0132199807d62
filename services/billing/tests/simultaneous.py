"""Requests released at the same moment from several threads: the race proofs against a real server."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import httpx

Request = tuple[str, dict, dict]  # path, JSON body, headers


def post_at_once(url: str, requests: Sequence[Request]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(requests))

    def one(request: Request) -> httpx.Response:
        path, body, headers = request
        with httpx.Client(base_url=url, timeout=60) as http:
            barrier.wait()
            return http.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(one, requests))
