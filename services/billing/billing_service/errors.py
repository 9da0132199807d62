"""Errors the billing rules raise; the API turns each into a 4xx with a machine-readable reason."""

from __future__ import annotations


class BillingError(Exception):
    status_code = 400

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class NotFound(BillingError):
    status_code = 404


class Conflict(BillingError):
    status_code = 409


class Unprocessable(BillingError):
    status_code = 422


class Gone(BillingError):
    status_code = 410


class TooManyAttempts(BillingError):
    status_code = 429

    def __init__(self, reason: str, message: str, retry_after_seconds: int):
        super().__init__(reason, message)
        self.retry_after_seconds = retry_after_seconds


class VerificationFailed(BillingError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("verification_failed", "Those details do not match our records.")
