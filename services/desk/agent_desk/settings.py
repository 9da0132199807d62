"""The desk's settings, all from environment variables with laptop defaults (SQLite under var/, localhost)."""

from __future__ import annotations

import dataclasses
import os


@dataclasses.dataclass(frozen=True)
class DeskSettings:
    database_url: str = "sqlite:///var/desk.db"
    # Rasa's SQL tracker store, read only: the same URL the Rasa server writes to.
    tracker_database_url: str = "sqlite:///var/tracker.db"
    billing_url: str = "http://127.0.0.1:8001"
    billing_api_token: str = ""
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_jwt_secret: str = ""
    host: str = "127.0.0.1"
    port: int = 8090
    session_minutes: int = 480  # one shift; a stolen cookie is worthless after it
    # Cookies marked Secure when the desk is served over HTTPS (behind a TLS proxy).
    secure_cookies: bool = False
    # A member turn below this intent confidence is flagged (the FallbackClassifier's threshold is 0.45).
    low_confidence: float = 0.5
    page_size: int = 25
    # GET /availability (for the assistant: is anyone at the desk?) answers only this bearer token.
    api_token: str = ""
    presence_minutes: int = 5

    @classmethod
    def from_environment(cls) -> DeskSettings:
        env = os.environ
        return cls(
            database_url=env.get("DESK_DATABASE_URL", cls.database_url),
            tracker_database_url=env.get("TRACKER_DATABASE_URL", cls.tracker_database_url),
            billing_url=env.get("BILLING_URL", cls.billing_url),
            billing_api_token=env.get("BILLING_API_TOKEN", ""),
            rasa_url=env.get("RASA_URL", cls.rasa_url),
            rasa_jwt_secret=env.get("RASA_JWT_SECRET", ""),
            host=env.get("DESK_HOST", cls.host),
            port=int(env.get("DESK_PORT", str(cls.port))),
            session_minutes=int(env.get("DESK_SESSION_MINUTES", str(cls.session_minutes))),
            secure_cookies=env.get("DESK_SECURE_COOKIES", "") == "1",
            low_confidence=float(env.get("DESK_LOW_CONFIDENCE", str(cls.low_confidence))),
            api_token=env.get("DESK_API_TOKEN", ""),
            presence_minutes=int(env.get("DESK_PRESENCE_MINUTES", str(cls.presence_minutes))),
        )
