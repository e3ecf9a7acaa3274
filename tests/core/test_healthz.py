"""/healthz: what load balancers and monitors ask."""

from __future__ import annotations

from unittest import mock

from django.db import OperationalError


def test_it_reports_ok_with_database_and_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["queue"] == "ok"
    assert body["queue_pending"] == 0
    assert "version" in body
    assert "no-cache" in response["Cache-Control"]


def test_it_needs_no_sign_in(client, db):
    assert client.get("/healthz", follow=False).status_code == 200


def test_it_answers_503_when_the_database_is_down(client, db):
    broken = OperationalError('connection to server failed: password "hunter2" rejected')
    with mock.patch("alliance.core.views.connection.cursor", side_effect=broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "error"
    # The reason goes to the log; the public answer does not leak it.
    assert "hunter2" not in response.content.decode()


def test_it_answers_503_when_the_queue_is_down(client, db):
    with mock.patch(
        "alliance.core.views.HUEY.pending_count", side_effect=ConnectionError("redis down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "error"
    assert response.json()["database"] == "ok"
