"""Demo community data: the original interest survey with about 60 responses (the five
challenges stand out), a second survey open to member programs, four focus groups and two
interviews with tagged quotes, the Advisory Committee with meetings, minutes and action
items, forum topics in English and Spanish, announcements, documents and events.

director1@example.org finds the open survey in their invitations; committee1@example.org
sees the committee page; hub@example.org sees results and the challenge board."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from alliance.community import defaults
from alliance.community.models import (
    ActionItem,
    Announcement,
    Answer,
    Category,
    CommitteeMember,
    Document,
    DocumentVersion,
    Event,
    Meeting,
    Post,
    Question,
    Quote,
    Recipient,
    Response,
    Rsvp,
    Section,
    Sector,
    Session,
    Suggestion,
    Survey,
    Theme,
    Topic,
)
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import given_timestamps

# Share of respondents naming each option (the needs assessment's findings).
CHALLENGE_SHARE = {
    "staff": 0.82,
    "substitutes": 0.7,
    "prices": 0.64,
    "benefits": 0.55,
    "enrollment": 0.45,
    "other": 0.06,
}
SERVICE_SHARE = {
    "substitutes": 0.66,
    "purchasing": 0.6,
    "training": 0.55,
    "networking": 0.5,
    "benefits": 0.5,
    "billing": 0.4,
    "finance": 0.35,
    "admin": 0.3,
}
STORIES = [
    "We lost three teachers to the school district this year; they pay more and have summers.",
    "When someone calls out sick I am in the classroom all day and nothing else gets done.",
    "Milk and diapers went up again and I cannot raise tuition every few months.",
    "No puedo ofrecer seguro médico a mis asistentes y se van a trabajar a otro lugar.",
    "Families leave in September for public pre-K and the infant room has a waiting list.",
    "Collecting co-pays takes me hours every week.",
]

SESSIONS = [
    (
        "focus_group",
        "Center directors focus group",
        8,
        "Center directors from Elizabeth, Union and Plainfield",
        [
            (
                "Every time I train a new teacher, she leaves for the school district.",
                "Center director",
                ["staff-recruiting"],
            ),
            (
                "We close a classroom two days a month because there is no substitute.",
                "Center director",
                ["substitutes", "enrollment"],
            ),
            (
                "If we bought food together we would all pay less.",
                "Center director",
                ["purchasing"],
            ),
        ],
    ),
    (
        "focus_group",
        "Proveedores de cuidado en el hogar (en español)",
        7,
        "Family child care providers, in Spanish",
        [
            (
                "Los precios de la comida subieron mucho y no puedo cobrar más a las familias.",
                "Proveedora",
                ["purchasing"],
            ),
            (
                "Si me enfermo, tengo que cerrar. No hay nadie que me reemplace.",
                "Proveedora",
                ["substitutes"],
            ),
            ("Cobrar a las familias es lo más difícil del mes.", "Proveedora", ["billing"]),
        ],
    ),
    (
        "focus_group",
        "Teachers and assistant teachers",
        9,
        "Lead and assistant teachers",
        [
            (
                "I love the kids but I have no health insurance and no retirement plan.",
                "Assistant teacher",
                ["benefits", "staff-recruiting"],
            ),
            (
                "Training on Saturdays is hard when you have your own children.",
                "Lead teacher",
                ["training"],
            ),
        ],
    ),
    (
        "focus_group",
        "Parents at a community meeting",
        11,
        "Parents and guardians",
        [
            (
                "It took me four months to find an infant spot near my job.",
                "Parent",
                ["enrollment"],
            ),
            ("Our teacher changed three times this year.", "Parent", ["staff-recruiting"]),
        ],
    ),
    (
        "interview",
        "Interview: owner of two centers",
        1,
        "Owner of two centers",
        [
            (
                "I spend my evenings on payroll and the books instead of with my staff.",
                "Owner",
                ["finance", "admin-support"],
            ),
            ("We are losing enrollment to the public pre-K program.", "Owner", ["enrollment"]),
        ],
    ),
    (
        "interview",
        "Interview: county workforce board",
        1,
        "Workforce board director",
        [
            (
                "Child care workers leave for retail jobs that pay two dollars more an hour.",
                "Workforce board",
                ["staff-recruiting", "benefits"],
            ),
        ],
    ),
]

TOPICS = [
    (
        "Staffing",
        "Where do you post teacher openings?",
        [
            "We have tried Indeed and the county college job board. Any other ideas?",
            "The county college's ECE program sends us student teachers every spring; several "
            "stayed on. Ask for their placement coordinator.",
            "We give a **$500 signing bonus** after 90 days. It helped.",
        ],
    ),
    (
        "En español",
        "¿Quién tiene un buen proveedor de leche?",
        [
            "Estoy pagando mucho por la leche. ¿Alguien compra en grupo?",
            "Nosotros compramos a un distribuidor en Elizabeth. Le paso el contacto por mensaje.",
        ],
    ),
    (
        "Enrollment",
        "Keeping the infant room full after September",
        [
            "Every September we lose our four-year-olds to public pre-K and the toddlers move up. "
            "How do you plan for it?",
            "We start touring infant families in May and hold spots with a deposit.",
        ],
    ),
    (
        "Purchasing and food",
        "CACFP paperwork tips",
        [
            "Is anyone using a tablet app for meal counts?",
            "- Count at the table, not after\n- Keep menus posted\n- File claims by the 5th",
        ],
    ),
    (
        "General",
        "Welcome to the providers' forum",
        ["Introduce yourself: your program, your town, and one thing that works well for you."],
    ),
]


def seed_community(ctx: SeedContext) -> dict[str, int]:
    alliance, rng = ctx.alliance, ctx.rng
    now = timezone.now()
    themes = {
        code: theme
        for code, theme in (
            (t.code, t)
            for t in Theme.objects.bulk_create(
                [
                    Theme(
                        alliance=alliance,
                        code=code,
                        name=en,
                        name_es=es,
                        service=service,
                        service_url=url,
                        position=i,
                    )
                    for i, (code, en, es, service, url) in enumerate(defaults.THEMES, start=1)
                ]
            )
        )
    }
    surveys, questions = _surveys(ctx, now)
    responses = _responses(ctx, surveys[0], questions[0], 60, now)
    open_responses = _open_survey_responses(ctx, surveys[1], questions[1], now)
    quotes = _sessions(ctx, themes)
    committee = _committee(ctx, now)
    posts = _forum(ctx, now)
    documents = _documents(ctx)
    events = _events(ctx, now)
    del rng
    return {
        "surveys": len(surveys),
        "survey responses": responses + open_responses,
        "quotes": quotes,
        "committee meetings": committee,
        "forum posts": posts,
        "documents": documents,
        "events": events,
    }


def _surveys(ctx: SeedContext, now: datetime) -> tuple[list[Survey], list[dict[str, Question]]]:
    data = defaults.INTEREST_SURVEY
    surveys, all_questions = [], []
    for title_suffix, status, anonymous, created in (
        ("", "closed", True, now - timedelta(days=300)),
        (" — 2026 check-in", "open", False, now - timedelta(days=5)),
    ):
        with given_timestamps((Survey, "created_at")):
            survey = Survey.objects.create(
                alliance=ctx.alliance,
                title=data["title"] + title_suffix,
                title_es=data["title_es"],
                intro=data["intro"],
                intro_es=data["intro_es"],
                status=status,
                anonymous=anonymous,
                distribution="link" if anonymous else "members",
                created_by=ctx.hub,
                created_at=created,
            )
        by_key: dict[str, Question] = {}
        for s_pos, sec in enumerate(data["sections"], start=1):
            section = Section.objects.create(
                alliance=ctx.alliance,
                survey=survey,
                position=s_pos,
                title=sec["title"],
                title_es=sec["title_es"],
            )
            for q_pos, q in enumerate(sec["questions"], start=1):
                by_key[q["key"]] = Question.objects.create(
                    alliance=ctx.alliance,
                    survey=survey,
                    section=section,
                    position=q_pos,
                    kind=q["kind"],
                    text=q["text"],
                    text_es=q["text_es"],
                    required=q.get("required", False),
                    choices=q.get("choices", []),
                    show_if=by_key.get(q.get("show_if", "")),
                    show_if_values=q.get("show_if_values", []),
                )
        surveys.append(survey)
        all_questions.append(by_key)
    return surveys, all_questions


def _answers_for(ctx: SeedContext, kind: str) -> dict[str, list[str] | str]:
    rng = ctx.rng
    chosen = [c for c, share in CHALLENGE_SHARE.items() if rng.random() < share] or ["staff"]
    services = [c for c, share in SERVICE_SHARE.items() if rng.random() < share]
    answers: dict[str, list[str] | str] = {
        "kind": [kind],
        "challenges": chosen,
        "services": services,
        "interest": [str(rng.choices([2, 3, 4, 5], weights=[1, 2, 4, 5])[0])],
        "children": str(rng.randrange(4, 6) if kind == "family_home" else rng.randrange(25, 120)),
    }
    if "substitutes" in chosen:
        answers["sub_days"] = str(rng.randrange(1, 9))
    if rng.random() < 0.4:
        answers["challenge_story"] = rng.choice(STORIES)
    return answers


def _add_response(ctx, survey, questions, answers, *, program, town, kind, when, lang):
    response = Response(
        alliance=ctx.alliance,
        survey=survey,
        program=program,
        program_kind=kind,
        town=town,
        language=lang,
        started_at=when - timedelta(minutes=9),
        submitted_at=when,
        respondent=ctx.directors.get(program.pk) if program else None,
    )
    rows = []
    for key, value in answers.items():
        q = questions[key]
        if q.kind in ("single", "multiple"):
            rows += [
                Answer(alliance=ctx.alliance, response=response, question=q, choice=v)
                for v in value
            ]
        elif q.kind == "rating":
            rows.append(
                Answer(
                    alliance=ctx.alliance,
                    response=response,
                    question=q,
                    choice=value[0],
                    number=int(value[0]),
                )
            )
        elif q.kind == "number":
            rows.append(
                Answer(alliance=ctx.alliance, response=response, question=q, number=int(value))
            )
        else:
            rows.append(Answer(alliance=ctx.alliance, response=response, question=q, text=value))
    return response, rows


def _responses(ctx, survey, questions, count, now) -> int:
    responses, answers = [], []
    for i in range(count):
        kind = "center" if ctx.rng.random() < 0.62 else "family_home"
        town = ctx.rng.choice(ctx.towns)[0]
        when = now - timedelta(days=330 - i * 0.5, hours=ctx.rng.randrange(10))
        lang = "es" if ctx.rng.random() < 0.35 else "en"
        response, rows = _add_response(
            ctx,
            survey,
            questions,
            _answers_for(ctx, kind),
            program=None,
            town=town,
            kind=kind,
            when=when,
            lang=lang,
        )
        responses.append(response)
        answers += rows
    with given_timestamps((Response, "started_at")):
        Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)


def _open_survey_responses(ctx, survey, questions, now) -> int:
    Recipient.objects.bulk_create(
        [Recipient(alliance=ctx.alliance, survey=survey, program=p) for p in ctx.programs]
    )
    responses, answers = [], []
    # The demo programs (director1, director2, provider1) have not answered yet.
    for program in ctx.programs[3:]:
        if ctx.rng.random() < 0.5:
            continue
        response, rows = _add_response(
            ctx,
            survey,
            questions,
            _answers_for(ctx, program.kind),
            program=program,
            town=program.town,
            kind=program.kind,
            when=now - timedelta(days=ctx.rng.randrange(1, 5)),
            lang="es" if "Spanish" in (program.languages or []) else "en",
        )
        responses.append(response)
        answers += rows
    with given_timestamps((Response, "started_at")):
        Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)


def _sessions(ctx: SeedContext, themes: dict[str, Theme]) -> int:
    count = 0
    start = ctx.today - timedelta(days=320)
    for i, (kind, title, people, who, quotes) in enumerate(SESSIONS):
        session = Session.objects.create(
            alliance=ctx.alliance,
            kind=kind,
            title=title,
            held_on=start + timedelta(days=i * 9),
            facilitator="Ana Torres, hub coordinator",
            participants=who,
            participant_count=people,
            notes="Notes taken by the hub. Participants spoke freely; names are not recorded.",
        )
        for text, speaker, codes in quotes:
            quote = Quote.objects.create(
                alliance=ctx.alliance, session=session, text=text, speaker=speaker
            )
            quote.themes.set([themes[c] for c in codes])
            count += 1
    return count


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour=hour)))


def _committee(ctx: SeedContext, now: datetime) -> int:
    sectors = [
        Sector.BUSINESS,
        Sector.HEALTH,
        Sector.EDUCATION,
        Sector.INDUSTRY,
        Sector.GOVERNMENT,
        Sector.FAMILY,
        Sector.CHILD_CARE,
    ]
    orgs = [
        "Union County Chamber of Commerce",
        "RWJBarnabas Health",
        "Kean University",
        "Merck (retired)",
        "Union County Workforce Board",
        "Parent representative",
        "Family child care provider",
    ]
    members = [
        CommitteeMember.objects.create(
            alliance=ctx.alliance,
            user=user,
            name=user.full_name or user.email,
            sector=sectors[i % len(sectors)],
            organization=orgs[i % len(orgs)],
            email=user.email,
            joined_on=ctx.today - timedelta(days=200),
        )
        for i, user in enumerate(ctx.committee)
    ]
    meetings = []
    for days, minutes in ((-120, True), (-30, True), (21, False)):
        day = ctx.today + timedelta(days=days)
        meeting = Meeting.objects.create(
            alliance=ctx.alliance,
            starts_at=_at(day, 18),
            location="County Administration Building, Elizabeth — Room 4",
            agenda="1. Welcome\n2. Needs assessment findings\n3. Substitute pool pilot\n"
            "4. Suggestions from providers",
            minutes=(
                "The committee reviewed the needs assessment. Staffing and substitutes "
                "lead. Members agreed to approach two employers about benefits."
            )
            if minutes
            else "",
        )
        if minutes:
            meeting.attendees.set(members[: max(1, len(members) - 1)])
        meetings.append(meeting)
    owner = members[0] if members else None
    for title, due, status in (
        ("Ask the chamber about pooled health benefits", 14, "open"),
        ("Share the substitute pool pilot results", -10, "done"),
        ("Invite the county college to the next meeting", 30, "open"),
        ("Draft a letter of support for the state grant", 5, "open"),
    ):
        ActionItem.objects.create(
            alliance=ctx.alliance,
            meeting=meetings[1],
            title=title,
            owner=owner,
            due_on=ctx.today + timedelta(days=due),
            status=status,
        )
    directors = list(ctx.directors.values())
    for i, (title, status) in enumerate(
        (
            ("Offer CPR training on weekday evenings", "considering"),
            ("Bulk buy diapers and wipes", "adopted"),
            ("Spanish-language business workshops for home providers", "new"),
        )
    ):
        Suggestion.objects.create(
            alliance=ctx.alliance,
            author=directors[i % len(directors)] if directors else None,
            title=title,
            status=status,
        )
    return len(meetings)


def _forum(ctx: SeedContext, now: datetime) -> int:
    categories = {
        name: Category.objects.create(alliance=ctx.alliance, name=name, position=i)
        for i, name in enumerate(
            ["General", "Staffing", "Enrollment", "Purchasing and food", "En español"]
        )
    }
    authors = [u for u in ctx.directors.values()] or [ctx.hub]
    count = 0
    for i, (category, title, bodies) in enumerate(TOPICS):
        when = now - timedelta(days=20 - i * 3)
        with given_timestamps((Topic, "created_at"), (Topic, "last_post_at")):
            topic = Topic.objects.create(
                alliance=ctx.alliance,
                category=categories[category],
                title=title,
                author=authors[i % len(authors)],
                created_at=when,
                last_post_at=when + timedelta(hours=len(bodies)),
                post_count=len(bodies),
            )
        with given_timestamps((Post, "created_at")):
            Post.objects.bulk_create(
                [
                    Post(
                        alliance=ctx.alliance,
                        topic=topic,
                        body=body,
                        author=authors[(i + k) % len(authors)],
                        created_at=when + timedelta(hours=k),
                    )
                    for k, body in enumerate(bodies)
                ]
            )
        count += len(bodies)
    with given_timestamps((Announcement, "sent_at")):
        Announcement.objects.create(
            alliance=ctx.alliance,
            title="The substitute pool is open",
            body="Member programs can now request substitutes. Read the **guide** in the "
            "document library.",
            author=ctx.hub,
            sent_at=now - timedelta(days=12),
            recipient_count=len(ctx.directors) + len(ctx.staff),
        )
        Announcement.objects.create(
            alliance=ctx.alliance,
            title="Needs assessment: 2026 check-in",
            body="Please answer our short survey. / Por favor conteste nuestra encuesta.",
            author=ctx.hub,
            sent_at=now - timedelta(days=5),
            recipient_count=len(ctx.directors) + len(ctx.staff),
        )
    return count


DOCUMENTS = [
    (
        "Sample staff handbook",
        "template",
        "members",
        "staff-handbook.txt",
        "Sample staff handbook\n\n1. Welcome\n2. Hours and attendance\n3. Ratios and supervision",
    ),
    (
        "Tuition and fee policy template",
        "template",
        "members",
        "tuition-policy.txt",
        "Tuition is due each Monday. A late fee applies after Wednesday.",
    ),
    (
        "Emergency and evacuation plan",
        "policy",
        "public",
        "emergency-plan.txt",
        "Emergency and evacuation plan: meeting places, drills, contacts.",
    ),
    (
        "Substitute request guide",
        "guide",
        "members",
        "substitute-guide.txt",
        "How to request a substitute through the alliance.",
    ),
    (
        "Menu planning worksheet (CACFP)",
        "form",
        "public",
        "menu-worksheet.csv",
        "Day,Breakfast,Lunch,Snack\nMonday,,,\nTuesday,,,\n",
    ),
]


def _documents(ctx: SeedContext) -> int:
    for title, category, access, filename, content in DOCUMENTS:
        document = Document.objects.create(
            alliance=ctx.alliance, title=title, category=category, access=access
        )
        data = content.encode()
        DocumentVersion.objects.create(
            alliance=ctx.alliance,
            document=document,
            number=1,
            file=ContentFile(data, name=filename),
            filename=filename,
            size=len(data),
            note="First version",
            uploaded_by=ctx.hub,
        )
    return len(DOCUMENTS)


def _events(ctx: SeedContext, now: datetime) -> int:
    rows = []
    for days, title, kind, capacity in (
        (-25, "Providers' networking breakfast", "networking", 30),
        (9, "Providers' networking breakfast", "networking", 30),
        (16, "Desayuno de proveedores en español", "networking", 20),
        (21, "Advisory Committee meeting", "committee", None),
        (40, "Business basics for family child care", "training", 2),
    ):
        day = ctx.today + timedelta(days=days)
        rows.append(
            Event.objects.create(
                alliance=ctx.alliance,
                title=title,
                kind=kind,
                starts_at=_at(day, 9),
                ends_at=_at(day, 11),
                location="Union County Resource Center, Elizabeth",
                description="Coffee, introductions and a short talk from the hub.",
                capacity=capacity,
            )
        )
    directors = list(ctx.directors.values())
    Rsvp.objects.bulk_create(
        [
            Rsvp(alliance=ctx.alliance, event=event, user=user)
            for event in rows[:2]
            for user in directors[1:6]
        ]
        + [Rsvp(alliance=ctx.alliance, event=rows[4], user=u) for u in directors[3:5]]
    )
    return len(rows)


register_step("community.demo", seed_community)
