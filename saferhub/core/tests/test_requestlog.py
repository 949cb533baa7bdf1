"""Structured logs: one JSON line per request with its id, the user's id, path, status and duration, and no
personal data (no e-mail address, query string, reset token or exception message)."""

import json
import logging
import sys

import pytest
from django.urls import reverse

from saferhub.accounts.tests.factories import UserFactory
from saferhub.core.requestlog import JsonFormatter, RequestContextFilter, request_id_var

pytestmark = pytest.mark.django_db

EMAIL = "invented.person@example.invalid"


def _lines(caplog):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "saferhub.requests"]


def test_one_line_per_request_with_ids_and_no_query_string(client, caplog):
    user = UserFactory(email=EMAIL, full_name="Invented Person")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="saferhub.requests"):
        response = client.get("/people/?q=Invented+Person")
    [line] = _lines(caplog)
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["user_id"] == user.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/people/", response.status_code)
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO" and line["logger"] == "saferhub.requests"
    text = json.dumps(line)
    assert EMAIL not in text and "Invented" not in text and "q=" not in text


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="saferhub.requests"):
        kept = client.get("/healthz", headers={"X-Request-ID": "lb-0123456789abcdef"})
        replaced = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert kept["X-Request-ID"] == "lb-0123456789abcdef"
    assert replaced["X-Request-ID"] != "<script>"
    assert [line["request_id"] for line in _lines(caplog)] == [kept["X-Request-ID"], replaced["X-Request-ID"]]
    assert [line["user_id"] for line in _lines(caplog)] == [None, None]


def test_password_reset_token_is_not_logged(client, caplog):
    url = reverse("accounts:password-reset-confirm", kwargs={"uidb64": "MTIz", "token": "invented-secret-token"})
    with caplog.at_level(logging.INFO, logger="saferhub.requests"):
        client.get(url)
    [line] = _lines(caplog)
    assert "invented-secret-token" not in line["path"] and "MTIz" not in line["path"]
    assert line["path"] == "/sign-in/reset/[redacted]/[redacted]/"


def test_errors_carry_the_exception_type_and_stack_but_not_its_message():
    try:
        raise ValueError(f"duplicate key value (email)=({EMAIL})")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x/",), sys.exc_info()
        )
    token = request_id_var.set("abc123abc123")
    try:
        RequestContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Internal Server Error: /x/"
    assert line["exception"] == "ValueError"
    assert line["stack"] and __file__ in line["stack"][0]
    assert line["request_id"] == "abc123abc123" and line["user_id"] is None
    assert EMAIL not in json.dumps(line)
