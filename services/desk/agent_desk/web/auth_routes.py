"""Signing in and out. The sign-in form has its own CSRF token (a cookie echoed in the form), since
there is no session yet to hold one."""

from __future__ import annotations

import datetime as dt
import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ..agents import authenticate
from ..sessions import csrf_matches, end_session, start_session
from ..settings import DeskSettings
from ..sign_in_limits import locked_out, record_failure
from .deps import SESSION_COOKIE, Signed, get_db, get_now, get_settings, signed_in
from .pages import render

router = APIRouter()
LOGIN_CSRF_COOKIE = "desk_login_csrf"


def _login_page(
    request: Request, settings: DeskSettings, error: str | None, status_code: int
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    page = render(request, "login.html", None, status_code=status_code, csrf_token=token, error=error)
    page.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        max_age=3600,
    )
    return page


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: DeskSettings = Depends(get_settings)) -> HTMLResponse:
    return _login_page(request, settings, None, 200)


@router.post("/login")
def login(
    request: Request,
    email: str = Form("", max_length=254),
    password: str = Form("", max_length=1024),
    csrf_token: str = Form("", max_length=100),
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
    settings: DeskSettings = Depends(get_settings),
) -> Response:
    if not csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token):
        return _login_page(request, settings, "The sign-in form expired. Please try again.", 403)
    if locked_out(db, email, now):
        message = "Too many failed sign-ins for this email. Try again in 15 minutes."
        return _login_page(request, settings, message, 429)
    agent = authenticate(db, email, password)
    if agent is None:
        record_failure(db, email, now)
        return _login_page(request, settings, "That email and password do not match an agent.", 401)
    token, _ = start_session(db, agent, now, settings.session_minutes)
    answer = RedirectResponse("/queue", status_code=303)
    answer.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        max_age=settings.session_minutes * 60,
    )
    answer.delete_cookie(LOGIN_CSRF_COOKIE)
    return answer


@router.post("/logout")
def logout(request: Request, signed: Signed = Depends(signed_in), db: Session = Depends(get_db)) -> Response:
    end_session(db, request.cookies.get(SESSION_COOKIE))
    answer = RedirectResponse("/login", status_code=303)
    answer.delete_cookie(SESSION_COOKIE)
    return answer
