from django.urls import path

from alliance.community import (
    views_committee,
    views_evidence,
    views_forum,
    views_library,
    views_respond,
    views_surveys,
)

app_name = "community"

A = "a/<slug:alliance_slug>"
HUB = f"{A}/hub/community"

urlpatterns = [
    # Hub: surveys
    path(f"{HUB}/surveys/", views_surveys.survey_list, name="hub_surveys"),
    path(
        f"{HUB}/surveys/template/",
        views_surveys.survey_from_template,
        name="hub_survey_template",
    ),
    path(f"{HUB}/surveys/<int:survey_id>/", views_surveys.survey_builder, name="hub_survey"),
    path(
        f"{HUB}/surveys/<int:survey_id>/status/",
        views_surveys.survey_status,
        name="hub_survey_status",
    ),
    path(
        f"{HUB}/surveys/<int:survey_id>/invite/",
        views_surveys.survey_invite,
        name="hub_survey_invite",
    ),
    path(
        f"{HUB}/surveys/<int:survey_id>/remind/",
        views_surveys.survey_remind,
        name="hub_survey_remind",
    ),
    path(
        f"{HUB}/surveys/<int:survey_id>/questions/<int:question_id>/",
        views_surveys.question_edit,
        name="hub_question_edit",
    ),
    path(
        f"{HUB}/surveys/<int:survey_id>/questions/<int:question_id>/move/",
        views_surveys.question_move,
        name="hub_question_move",
    ),
    path(
        f"{HUB}/surveys/<int:survey_id>/questions/<int:question_id>/delete/",
        views_surveys.question_delete,
        name="hub_question_delete",
    ),
    path(
        f"{HUB}/surveys/<int:survey_id>/results/",
        views_surveys.survey_results,
        name="hub_survey_results",
    ),
    path(
        f"{HUB}/surveys/<int:survey_id>/results/<int:question_id>/text/",
        views_surveys.survey_text,
        name="hub_survey_text",
    ),
    path(
        f"{HUB}/surveys/<int:survey_id>/export.<str:fmt>",
        views_surveys.survey_export,
        name="hub_survey_export",
    ),
    # Hub: evidence
    path(f"{HUB}/board/", views_evidence.challenge_board, name="hub_board"),
    path(f"{HUB}/board/standard/", views_evidence.standard_themes, name="hub_standard_themes"),
    path(f"{HUB}/board/<int:theme_id>/", views_evidence.theme_detail, name="hub_theme"),
    path(f"{HUB}/sessions/", views_evidence.sessions, name="hub_sessions"),
    path(f"{HUB}/sessions/<int:session_id>/", views_evidence.session_detail, name="hub_session"),
    # Hub: forum moderation and announcements
    path(f"{HUB}/reports/", views_forum.reports, name="hub_reports"),
    path(f"{HUB}/announcements/new/", views_forum.announce, name="hub_announce"),
    path(
        f"{HUB}/suggestions/<int:suggestion_id>/",
        views_committee.suggestion_answer,
        name="suggestion_answer",
    ),
    # Answering a survey
    path(f"{A}/surveys/<str:token>/", views_respond.respond, name="respond"),
    path(f"{A}/surveys/<str:token>/thanks/", views_respond.respond_thanks, name="respond_thanks"),
    # Advisory Committee and suggestions
    path(f"{A}/committee/", views_committee.committee, name="committee"),
    path(
        f"{A}/committee/meetings/<int:meeting_id>/",
        views_committee.meeting_detail,
        name="meeting",
    ),
    path(
        f"{A}/committee/actions/<int:item_id>/",
        views_committee.action_status,
        name="action_status",
    ),
    path(f"{A}/suggestions/", views_committee.suggestions, name="suggestions"),
    # Forum and announcements
    path(f"{A}/forum/", views_forum.forum, name="forum"),
    path(f"{A}/forum/new/", views_forum.topic_new, name="topic_new"),
    path(f"{A}/forum/digest/", views_forum.digest, name="digest"),
    path(f"{A}/forum/<int:topic_id>/", views_forum.topic_detail, name="topic"),
    path(f"{A}/forum/<int:topic_id>/moderate/", views_forum.topic_moderate, name="topic_moderate"),
    path(f"{A}/forum/posts/<int:post_id>/hide/", views_forum.post_hide, name="post_hide"),
    path(f"{A}/forum/posts/<int:post_id>/report/", views_forum.post_report, name="post_report"),
    path(f"{A}/announcements/", views_forum.announcements, name="announcements"),
    # Documents and events
    path(f"{A}/documents/", views_library.documents, name="documents"),
    path(f"{A}/documents/<int:document_id>/", views_library.document_detail, name="document"),
    path(
        f"{A}/documents/<int:document_id>/v<int:number>/",
        views_library.document_download,
        name="document_download",
    ),
    path(f"{A}/events/", views_library.events, name="events"),
    path(f"{A}/events.ics", views_library.events_ics, name="events_ics"),
    path(f"{A}/events/<int:event_id>/", views_library.event_detail, name="event"),
]
