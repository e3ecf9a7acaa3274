"""Forum and announcements: safe formatting (a script never reaches another browser),
mentions, moderation, reports, digests and announcements."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from alliance.community import services_forum as services
from alliance.community.markup import render
from alliance.community.models import Announcement, Category, Post, Report, Topic
from alliance.core.tenancy import alliance_scope
from tests.community.conftest import audit_actions, queries_for, rows

pytestmark = pytest.mark.django_db

FORUM = "/a/union-county/forum"


def test_markup_escapes_html_and_renders_the_small_subset():
    html = render(
        "**Hi** *there* <script>alert(1)</script>\n- one\n- [two](https://e.org/x)\n"
        "[bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img" in html
    assert "<strong>Hi</strong>" in html and "<em>there</em>" in html
    assert (
        '<ul><li>one</li><li><a href="https://e.org/x" rel="nofollow ugc noopener">two</a>' in html
    )
    assert 'href="javascript' not in html


@given(st.text(alphabet=st.sampled_from(list("<>\"'&*[]()-@ab/:=\n ")), max_size=80))
def test_markup_never_lets_a_tag_or_attribute_through(text):
    html = str(render(text + "<script>x</script>", known_handles=["ab"]))
    assert "<script" not in html
    allowed = (
        "<p>",
        "</p>",
        "<br>",
        "<ul>",
        "</ul>",
        "<ol>",
        "</ol>",
        "<li>",
        "</li>",
        "<strong>",
        "</strong>",
        "<em>",
        "</em>",
        '<strong class="mention">',
        "</a>",
    )
    stripped = html
    for tag in allowed:
        stripped = stripped.replace(tag, "")
    import re

    stripped = re.sub(r'<a href="https?://[^"<>]*" rel="nofollow ugc noopener">', "", stripped)
    assert "<" not in stripped


@pytest.fixture
def category(world):
    with scopes_disabled():
        return Category.objects.create(alliance=world.alliance, name="General")


def test_a_post_with_a_script_is_shown_as_text_to_other_members(world, as_user, category):
    client = as_user(world.director1)
    response = client.post(
        f"{FORUM}/new/",
        {"category": category.pk, "title": "Hello", "body": "<script>alert('x')</script> **hi**"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        topic = Topic.objects.get()
        assert Post.objects.get().body.startswith("<script>")  # stored as typed
    page = as_user(world.director2).get(f"{FORUM}/{topic.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <strong>hi</strong>" in page


def test_bad_topics_are_refused_with_422_and_nothing_saved(world, as_user, category):
    response = as_user(world.director1).post(
        f"{FORUM}/new/", {"category": category.pk, "title": "", "body": ""}
    )
    assert response.status_code == 422
    assert rows(Topic) == 0 and rows(Post) == 0


def test_mentions_notify_the_mentioned_member(
    world, category, mailoutbox, django_capture_on_commit_callbacks
):
    with alliance_scope(world.alliance), django_capture_on_commit_callbacks(execute=True):
        services.start_topic(
            alliance=world.alliance,
            acting_user=world.director1,
            category=category,
            title="Subs",
            body="@director2 do you have a sub list? @nobody",
        )
    assert [m.to for m in mailoutbox] == [["director2@example.org"]]


def test_locked_topics_take_no_replies_and_hidden_posts_vanish(world, as_user, category):
    with alliance_scope(world.alliance):
        topic = services.start_topic(
            alliance=world.alliance,
            acting_user=world.director1,
            category=category,
            title="Prices",
            body="Milk prices",
        )
        post = topic.posts.get()
    hub = as_user(world.hub)
    assert hub.post(f"{FORUM}/{topic.pk}/moderate/", {"action": "lock"}).status_code == 302
    reply = as_user(world.director2).post(f"{FORUM}/{topic.pk}/", {"body": "Me too"})
    assert reply.status_code == 422 and rows(Post) == 1
    as_user(world.director2).post(f"{FORUM}/posts/{post.pk}/report/", {"reason": "Spam"})
    assert rows(Report) == 1
    hub.post(f"{FORUM}/posts/{post.pk}/hide/", {"hidden": "1"})
    page = as_user(world.director2).get(f"{FORUM}/{topic.pk}/").content.decode()
    assert "Milk prices" not in page and "hidden by a moderator" in page
    with scopes_disabled():
        assert Report.objects.get().resolved_at is not None
    hub.post(f"{FORUM}/{topic.pk}/moderate/", {"action": "hide"})
    assert as_user(world.director2).get(f"{FORUM}/{topic.pk}/").status_code == 404
    assert "forum.topic_lock" in audit_actions(action="forum.topic_lock")


def test_daily_digest_lists_new_topics_for_subscribers(
    world, as_user, category, mailoutbox, django_capture_on_commit_callbacks
):
    as_user(world.director2).post(f"{FORUM}/digest/", {"enabled": "1"})
    with alliance_scope(world.alliance):
        services.start_topic(
            alliance=world.alliance,
            acting_user=world.director1,
            category=category,
            title="Enrollment in September",
            body="Ideas?",
        )
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.send_digests(alliance=world.alliance)
    assert sent == 1
    assert "Enrollment in September" in mailoutbox[-1].body
    with alliance_scope(world.alliance):
        assert services.send_digests(alliance=world.alliance) == 0  # nothing new since


def test_announcements_reach_chosen_programs_only(
    world, as_user, mailoutbox, django_capture_on_commit_callbacks
):
    hub = as_user(world.hub)
    bad = hub.post("/a/union-county/hub/community/announcements/new/", {"title": "Hi", "body": "x"})
    assert bad.status_code == 422 and rows(Announcement) == 0
    with django_capture_on_commit_callbacks(execute=True):
        ok = hub.post(
            "/a/union-county/hub/community/announcements/new/",
            {"title": "Sunshine only", "body": "Hello", "programs": [world.program2.pk]},
        )
    assert ok.status_code == 302
    assert [m.to for m in mailoutbox] == [["director2@example.org"]]
    assert (
        "Sunshine only"
        not in as_user(world.director1).get("/a/union-county/announcements/").content.decode()
    )
    assert (
        "Sunshine only"
        in as_user(world.director2).get("/a/union-county/announcements/").content.decode()
    )


def test_forum_list_query_count_is_bounded(world, as_user, category):
    client = as_user(world.director1)
    with alliance_scope(world.alliance):
        services.start_topic(
            alliance=world.alliance,
            acting_user=world.director1,
            category=category,
            title="One",
            body="x",
        )
    few = queries_for(client, f"{FORUM}/")
    with alliance_scope(world.alliance):
        for i in range(8):
            services.start_topic(
                alliance=world.alliance,
                acting_user=world.director2,
                category=category,
                title=f"T{i}",
                body="y",
            )
    assert queries_for(client, f"{FORUM}/") == few
    with pytest.raises(ValidationError), alliance_scope(world.alliance):
        services.start_topic(
            alliance=world.alliance,
            acting_user=world.director1,
            category=None,
            title="x",
            body="y",
        )
