"""Seed step of the substitute pool: profiles with valid checks, availability, and months of
history (filled and unfilled requests, timesheets, ratings, invoices) for the dashboards.

The demo substitutes (sub1…sub20@example.org) are all active, hold valid CPR/First Aid,
CARI and fingerprints, are available on weekdays 6:00–19:00, travel 25 miles and hold the
qualifications a weekday request at the demo centers asks for. sub1 finds open offers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from alliance.members.models import ProgramKind
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import bulk, given_timestamps, months_before
from alliance.staffing.models import Credential
from alliance.substitutes.history import refresh_history
from alliance.substitutes.models import (
    ONBOARDING_STEPS,
    Assignment,
    AssignmentStatus,
    Availability,
    Backup,
    BackupSource,
    DispatchMode,
    Favourite,
    Offer,
    OfferStatus,
    PoolSettings,
    ProfileStatus,
    Rating,
    RequestStatus,
    SubsidyBudget,
    SubstituteInvoice,
    SubstituteProfile,
    SubstituteRequest,
    Timesheet,
    TimesheetStatus,
    UnfilledReason,
)
from alliance.substitutes.ranking import miles_between, town_centroids

DEMO_QUALIFICATIONS = ["assistant", "lead_teacher", "infant_toddler", "preschool", "school_age"]
OTHER_QUALIFICATIONS = ["cda", "degree", "special_needs", "cook"]
HISTORY_MONTHS = 6
SHIFTS = [(time(7), time(15)), (time(8), time(16)), (time(9), time(17, 30)), (time(12), time(18))]


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def seed_pool(ctx: SeedContext) -> dict[str, int]:
    rng, today, alliance = ctx.rng, ctx.today, ctx.alliance
    known = town_centroids()
    towns = [t for t, _zip in ctx.towns if t.lower() in known] or ["Elizabeth"]
    PoolSettings.objects.create(alliance=alliance, default_mode=DispatchMode.WAVES)
    demo_emails = {f"sub{k}@example.org" for k in range(1, 21)}
    profiles, credentials, windows = [], [], []
    done = {step: (today - timedelta(days=200)).isoformat() for step in ONBOARDING_STEPS}
    for user in ctx.substitutes:
        demo = ctx.is_demo and user.email in demo_emails
        onboarding = not demo and rng.random() < 0.08
        quals = list(DEMO_QUALIFICATIONS) if demo else rng.sample(DEMO_QUALIFICATIONS, 2)
        quals += rng.sample(OTHER_QUALIFICATIONS, rng.randrange(0, 3))
        profiles.append(
            SubstituteProfile(
                alliance=alliance,
                user=user,
                status=ProfileStatus.ONBOARDING if onboarding else ProfileStatus.ACTIVE,
                qualifications=sorted(set(quals)),
                languages=["English", "Spanish"] if user.language == "es" else ["English"],
                home_town=towns[0]
                if demo and user.email == "sub1@example.org"
                else rng.choice(towns),
                travel_miles=25 if demo else rng.choice([5, 10, 15, 20]),
                pay_rate=Decimal(rng.choice(["17.50", "18.00", "19.25", "20.00", "22.50"])),
                onboarding={} if onboarding else done,
            )
        )
        # A few (never demo) substitutes let a check lapse: they show as not offerable.
        lapsed = not demo and rng.random() < 0.05
        for kind in ("cpr_first_aid", "cari", "fingerprints"):
            issued = today - timedelta(days=rng.randrange(60, 600))
            expires = issued + timedelta(days=730)
            if lapsed and kind == "cari":
                expires = today - timedelta(days=rng.randrange(1, 60))
                issued = expires - timedelta(days=730)
            credentials.append(
                Credential(
                    alliance=alliance, person=user, kind=kind, issued_on=issued, expires_on=expires
                )
            )
    profiles = bulk(SubstituteProfile, profiles)
    for profile in profiles:
        wide = ctx.is_demo and profile.user.email in demo_emails
        days = range(5) if wide else sorted(rng.sample(range(5), rng.randrange(2, 6)))
        for weekday in days:
            windows.append(
                Availability(profile=profile, weekday=weekday, start=time(6), end=time(19))
            )
    bulk(Availability, windows)
    bulk(Credential, credentials)
    counts = _history(ctx, profiles)
    # The rows above were inserted in bulk, around the services that keep the counters.
    refresh_history(alliance_id=alliance.pk)
    counts.update({"substitute profiles": len(profiles), "credentials": len(credentials)})
    return counts


def _history(ctx: SeedContext, profiles: list[SubstituteProfile]) -> dict[str, int]:
    """Past requests (mostly filled) at the centers, and a few upcoming ones."""
    rng, today = ctx.rng, ctx.today
    active = [p for p in profiles if p.status == ProfileStatus.ACTIVE]
    if not active:
        return {}
    centers = [p for p in ctx.programs if p.kind == ProgramKind.CENTER]
    rooms: dict[int, list] = {}
    for room in ctx.classrooms:
        rooms.setdefault(room.program_id, []).append(room)
    start = months_before(today, HISTORY_MONTHS).replace(day=1)
    requests, plans = [], []
    for program in centers:
        director = ctx.directors.get(program.pk)
        day = start + timedelta(days=rng.randrange(10))
        while day < today - timedelta(days=1):
            day = _weekday_on_or_after(day)
            if day >= today:
                break
            begin, end = rng.choice(SHIFTS)
            roll = rng.random()
            status = (
                RequestStatus.FILLED
                if roll < 0.84
                else RequestStatus.UNFILLED
                if roll < 0.95
                else RequestStatus.CANCELLED
            )
            created = _aware(day - timedelta(days=rng.choice([0, 0, 1, 2, 5])), time(6, 15))
            sub = rng.choice(active)
            requests.append(
                SubstituteRequest(
                    program=program,
                    classroom=rng.choice(rooms[program.pk]) if rooms.get(program.pk) else None,
                    dates=[day.isoformat()],
                    first_date=day,
                    last_date=day,
                    start=begin,
                    end=end,
                    mode=rng.choice([DispatchMode.WAVES, DispatchMode.BROADCAST]),
                    status=status,
                    unfilled_reason=rng.choice(
                        [
                            UnfilledReason.NO_ACCEPT,
                            UnfilledReason.NO_ACCEPT,
                            UnfilledReason.NO_ELIGIBLE,
                        ]
                    )
                    if status == RequestStatus.UNFILLED
                    else "",
                    wave=1,
                    requested_by=director,
                    assigned_to=sub.user if status == RequestStatus.FILLED else None,
                    created_at=created,
                    filled_at=created + timedelta(minutes=rng.randrange(4, 95))
                    if status == RequestStatus.FILLED
                    else None,
                    cancelled_at=created + timedelta(hours=3)
                    if status == RequestStatus.CANCELLED
                    else None,
                )
            )
            plans.append(sub)
            day += timedelta(days=rng.choice([6, 9, 13, 16]))
    with given_timestamps((SubstituteRequest, "created_at"), (Timesheet, "submitted_at")):
        requests = bulk(SubstituteRequest, requests)
        counts = _fill(ctx, requests, plans)
    counts["substitute requests"] = len(requests) + _upcoming(ctx, active, rooms)
    return counts


def _fill(ctx: SeedContext, requests: list[SubstituteRequest], subs) -> dict[str, int]:
    rng = ctx.rng
    offers, assignments, filled = [], [], []
    for req, sub in zip(requests, subs, strict=True):
        if req.status != RequestStatus.FILLED:
            continue
        offers.append(
            Offer(
                request=req,
                substitute=sub.user,
                wave=1,
                score=round(rng.uniform(55, 95), 1),
                reasons=_reasons(sub, req.program),
                status=OfferStatus.ACCEPTED,
                expires_at=req.filled_at + timedelta(hours=6),
                responded_at=req.filled_at,
            )
        )
        filled.append((req, sub))
    offers = bulk(Offer, offers)
    for offer, (req, _sub) in zip(offers, filled, strict=True):
        roll = rng.random()
        assignments.append(
            Assignment(
                request=req,
                substitute_id=offer.substitute_id,
                offer=offer,
                status=AssignmentStatus.NO_SHOW if roll < 0.02 else AssignmentStatus.COMPLETED,
                accepted_at=req.filled_at,
            )
        )
    assignments = bulk(Assignment, assignments)
    sheets, ratings = [], []
    for a, (req, _sub) in zip(assignments, filled, strict=True):
        if a.status != AssignmentStatus.COMPLETED:
            continue
        brk = 30 if req.hours_per_day >= 6 else 0
        hours = (Decimal(str(req.hours_per_day)) - Decimal(brk) / 60).quantize(Decimal("0.01"))
        sheets.append(
            Timesheet(
                assignment=a,
                program=req.program,
                work_date=req.first_date,
                start=req.start,
                end=req.end,
                break_minutes=brk,
                hours=hours,
                status=TimesheetStatus.APPROVED,
                approved_by=req.requested_by,
                approved_at=_aware(req.first_date, time(18)),
                submitted_at=_aware(req.first_date, time(17, 30)),
            )
        )
        if rng.random() < 0.6:
            ratings.append(
                Rating(
                    assignment=a,
                    program=req.program,
                    substitute_id=a.substitute_id,
                    stars=rng.choice([3, 4, 4, 5, 5, 5]),
                    created_by=req.requested_by,
                )
            )
    sheets = bulk(Timesheet, sheets)
    bulk(Rating, ratings)
    invoices = _invoices(ctx, sheets)
    favourites = _favourites(filled)
    return {
        "substitute favourites": favourites,
        "substitute assignments": len(assignments),
        "timesheets": len(sheets),
        "ratings": len(ratings),
        "substitute invoices": invoices,
    }


def _favourites(filled: list[tuple[SubstituteRequest, SubstituteProfile]]) -> int:
    """Each program's two most frequent substitutes are its favourites (tiered release)."""
    worked: dict[int, Counter] = defaultdict(Counter)
    for req, sub in filled:
        worked[req.program_id][sub.user_id] += 1
    rows = [
        Favourite(program_id=program_id, substitute_id=user_id)
        for program_id, counts in worked.items()
        for user_id, _n in counts.most_common(2)
    ]
    bulk(Favourite, rows)
    return len(rows)


def _invoices(ctx: SeedContext, sheets: list[Timesheet]) -> int:
    """Invoice every closed month before last month (the last one is left for the demo)."""
    rate = Decimal("28.00")
    cutoff = months_before(ctx.today, 1).replace(day=1)
    totals: dict[tuple[int, date], Decimal] = {}
    for sheet in sheets:
        month = sheet.work_date.replace(day=1)
        if month < cutoff:
            totals[(sheet.program_id, month)] = (
                totals.get((sheet.program_id, month), 0) + sheet.hours
            )
    invoices = bulk(
        SubstituteInvoice,
        [
            SubstituteInvoice(
                program_id=pid,
                month=month,
                hours=h,
                rate=rate,
                amount=(h * rate).quantize(Decimal("0.01")),
            )
            for (pid, month), h in sorted(totals.items())
        ],
    )
    by_key = {(i.program_id, i.month): i for i in invoices}
    for sheet in sheets:
        invoice = by_key.get((sheet.program_id, sheet.work_date.replace(day=1)))
        if invoice is not None:
            sheet.invoice = invoice
    Timesheet.objects.bulk_update([s for s in sheets if s.invoice_id], ["invoice"], batch_size=2000)
    programs = {s.program_id for s in sheets}
    bulk(
        SubsidyBudget,
        [
            SubsidyBudget(program_id=pid, year=ctx.today.year, hours=Decimal("120"))
            for pid in programs
        ],
    )
    return len(invoices)


def _reasons(profile: SubstituteProfile, program) -> list[dict]:
    miles = miles_between(profile.home_town, program.town)
    distance = 0.5 if miles is None else max(0.0, 1 - miles / 25)
    why = "distance unknown" if miles is None else f"{miles:.1f} miles away"
    return [
        {"factor": "reliability", "points": 20.0, "why": "0 no-shows, 0 late cancellations"},
        {"factor": "distance", "points": round(20 * distance, 1), "why": why},
        {"factor": "rating", "points": 9.0, "why": "no ratings yet"},
    ]


def _upcoming(ctx: SeedContext, active: list[SubstituteProfile], rooms: dict) -> int:
    """On the demo alliance: an open broadcast at Little Learners offered to sub1…sub5, and a
    filled shift at Sunshine for sub2, so the demo logins see the pool at work."""
    if not ctx.is_demo or len(ctx.programs) < 2:
        return 0
    demo = {p.user.email: p for p in active if p.user.email.startswith("sub")}
    first, second = ctx.program(0), ctx.program(1)
    day = _weekday_on_or_after(ctx.today + timedelta(days=1))
    now = timezone.now()
    open_req = SubstituteRequest.objects.create(
        program=first,
        classroom=(rooms.get(first.pk) or [None])[0],
        dates=[day.isoformat()],
        first_date=day,
        last_date=day,
        start=time(7, 30),
        end=time(15, 30),
        mode=DispatchMode.BROADCAST,
        requested_by=ctx.directors.get(first.pk),
        wave=1,
        notes="Toddler room; lead teacher out sick. Ask for Maria at the front desk.",
        created_at=now,
    )
    offers = [
        Offer(
            request=open_req,
            substitute=demo[f"sub{k}@example.org"].user,
            wave=1,
            score=round(90 - k * 3.5, 1),
            reasons=_reasons(demo[f"sub{k}@example.org"], first),
            expires_at=_aware(day, time(7, 30)),
        )
        for k in range(1, 6)
        if f"sub{k}@example.org" in demo
    ]
    bulk(Offer, offers)
    if "sub2@example.org" in demo:
        later = _weekday_on_or_after(day + timedelta(days=2))
        filled = SubstituteRequest.objects.create(
            program=second,
            classroom=(rooms.get(second.pk) or [None])[0],
            dates=[later.isoformat()],
            first_date=later,
            last_date=later,
            start=time(8),
            end=time(16),
            mode=DispatchMode.WAVES,
            status=RequestStatus.FILLED,
            requested_by=ctx.directors.get(second.pk),
            assigned_to=demo["sub2@example.org"].user,
            wave=1,
            created_at=now,
            filled_at=now,
        )
        offer = Offer.objects.create(
            request=filled,
            substitute=demo["sub2@example.org"].user,
            wave=1,
            score=81.5,
            reasons=_reasons(demo["sub2@example.org"], second),
            status=OfferStatus.ACCEPTED,
            expires_at=_aware(later, time(8)),
            responded_at=now,
        )
        Assignment.objects.create(
            request=filled, substitute=offer.substitute, offer=offer, accepted_at=now
        )
        if "sub3@example.org" in demo:
            # sub3 tried to accept after sub2 had it: first backup if sub2 cancels.
            Backup.objects.create(
                request=filled,
                substitute=demo["sub3@example.org"].user,
                position=1,
                source=BackupSource.LATE_ACCEPT,
            )
        _picks_demo(ctx, demo, second, rooms, day)
        return 3
    return 1


def _picks_demo(ctx: SeedContext, demo: dict, program, rooms: dict, day: date) -> None:
    """A director-picks request at the second center: every demo substitute invited,
    sub4 and sub5 volunteered, waiting for the director to pick."""
    now = timezone.now()
    req = SubstituteRequest.objects.create(
        program=program,
        classroom=(rooms.get(program.pk) or [None])[0],
        dates=[day.isoformat()],
        first_date=day,
        last_date=day,
        start=time(9),
        end=time(13),
        mode=DispatchMode.PICKS,
        requested_by=ctx.directors.get(program.pk),
        wave=1,
        notes="Morning in the preschool room; the director picks among volunteers.",
        created_at=now,
    )
    offers = []
    for k in range(1, 11):
        profile = demo.get(f"sub{k}@example.org")
        if profile is None:
            continue
        volunteered = k in (4, 5)
        offers.append(
            Offer(
                request=req,
                substitute=profile.user,
                wave=1,
                score=round(88 - k * 2.5, 1),
                reasons=_reasons(profile, program),
                status=OfferStatus.VOLUNTEERED if volunteered else OfferStatus.PENDING,
                volunteered_at=now if volunteered else None,
                responded_at=now if volunteered else None,
                expires_at=_aware(day, time(9)),
            )
        )
    bulk(Offer, offers)


register_step("substitutes.pool", seed_pool)
