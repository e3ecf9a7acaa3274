"""Attendance corrections through the API: logged with old and new times, who and why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.enrollment.models import AttendanceCorrection

pytestmark = pytest.mark.django_db


def test_director_corrects_times_and_lists_the_log(world, scenario, django_assert_max_num_queries):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=world.director1, name='t')}"}
    record = scenario.attendance
    url = f"/api/v1/programs/little-learners/attendance/{record.pk}/corrections"
    new_in = record.checked_in_at - timedelta(minutes=20)
    response = Client().post(
        url,
        {"checked_in_at": new_in.isoformat(), "reason": "Tablet was offline"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    with scopes_disabled():
        (row,) = AttendanceCorrection.objects.filter(attendance=record)
        assert row.old_value == record.checked_in_at and row.new_value == new_in
        assert row.corrected_by == world.director1 and row.reason == "Tablet was offline"
    bad = Client().post(
        url,
        {"checked_in_at": new_in.isoformat(), "reason": ""},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and "reason" in bad.json()["fields"]
    with django_assert_max_num_queries(12):
        listed = Client().get(url, **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["field"] == "checked_in_at"
