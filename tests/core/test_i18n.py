"""Spanish: the catalog is complete and well-formed, and people actually get it.

The catalog checks parse ``django.po`` with a tiny reader (no polib at test time). The page
checks pick the language the ways a person does: browser Accept-Language, the language
switcher, and the language saved in their profile.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django_scopes import scopes_disabled

from alliance.accounts import services as account_services
from alliance.accounts.models import User
from alliance.core.policy import RoleKind
from tests.factories import PASSWORD

ALLIANCE_DIR = Path(settings.BASE_DIR)
PO = ALLIANCE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{\{\s*[\w.]+\s*\}\}|\{\w*\}"
)
TAG = re.compile(r"</?\w+")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.msgctxt, self.msgid)


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""), in file order."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None

    def fresh(number: int) -> Entry:
        """The entry a new keyword belongs to: the current one until it has a msgstr."""
        if current.msgstr or current.obsolete:
            entries.append(current)
            return Entry(line=number)
        current.line = current.line or number
        return current

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            if not current.obsolete:
                current = fresh(number)
                current.obsolete = True
            continue
        if line.startswith("#,"):
            current = fresh(number)
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            assert target is not None, f"{path}:{number}"
            _append(current, target, ast.literal_eval(line))
            continue
        if keyword in ("msgctxt", "msgid"):
            current = fresh(number)
            target = (keyword, None)
        elif keyword == "msgid_plural":
            target = ("msgid_plural", None)
        elif keyword == "msgstr":
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr["):
            target = ("msgstr", int(keyword[7:-1]))
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        if target[0] == "msgstr":
            current.msgstr.setdefault(target[1] or 0, "")
        _append(current, target, ast.literal_eval(rest))
    if current.msgstr or current.obsolete:
        entries.append(current)
    return entries


def _append(entry: Entry, target: tuple[str, int | None], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index or 0] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)


@pytest.fixture(scope="module")
def catalog() -> list[Entry]:
    return [e for e in read_po(PO) if not e.obsolete]


def _messages(catalog: list[Entry]) -> list[Entry]:
    return [e for e in catalog if e.msgid]


def _where(entry: Entry) -> str:
    return f"django.po line {entry.line}: {entry.msgid[:60]!r}"


def test_the_header_declares_spanish_with_two_plural_forms(catalog):
    header = next(e for e in catalog if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: es\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_every_message_is_translated_and_none_is_fuzzy(catalog):
    messages = _messages(catalog)
    assert len(messages) > 300  # the reader did read the file
    fuzzy = [_where(e) for e in messages if "fuzzy" in e.flags]
    empty = [_where(e) for e in messages if not all(e.msgstr.values())]
    plural_count = [_where(e) for e in messages if e.msgid_plural and len(e.msgstr) != 2]
    assert fuzzy == [], "fuzzy entries (check and remove the flag)"
    assert empty == [], "untranslated entries"
    assert plural_count == [], "plural entries need msgstr[0] and msgstr[1]"


def _placeholders(text: str) -> set[str]:
    return {re.sub(r"\s+", "", p) for p in PLACEHOLDER.findall(text)}


def test_translations_keep_the_placeholders_of_the_original(catalog):
    wrong = []
    for e in _messages(catalog):
        if e.msgid_plural:
            expected = _placeholders(e.msgid) | _placeholders(e.msgid_plural)
            # The singular form may leave the count out ("un programa"); nothing may be added.
            if _placeholders(e.msgstr[1]) != _placeholders(e.msgid_plural) or not (
                _placeholders(e.msgstr[0]) <= expected
            ):
                wrong.append(_where(e))
        elif _placeholders(e.msgstr[0]) != _placeholders(e.msgid):
            wrong.append(_where(e))
    assert wrong == []


def test_translations_keep_the_html_tags_of_the_original(catalog):
    wrong = [
        _where(e)
        for e in _messages(catalog)
        if not e.msgid_plural and sorted(TAG.findall(e.msgstr[0])) != sorted(TAG.findall(e.msgid))
    ]
    assert wrong == []


def test_the_catalog_has_every_string_marked_in_the_code(tmp_path, monkeypatch):
    """Running makemessages now would add nothing: new strings were extracted and translated.

    It runs on a symlink to the code so that it writes its catalog into tmp_path, never into
    alliance/locale.
    """
    (tmp_path / "alliance").symlink_to(ALLIANCE_DIR, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "out")]):
        call_command(
            "makemessages",
            locale=["es"],
            no_location=True,
            symlinks=True,
            ignore_patterns=["migrations", "locale", "static"],
            verbosity=0,
        )
    fresh = {e.key for e in read_po(tmp_path / "out" / "es" / "LC_MESSAGES" / "django.po")}
    ours = {e.key for e in read_po(PO) if not e.obsolete}
    assert len(fresh) > 300
    missing = sorted(fresh - ours)
    assert missing == [], "run makemessages and translate (docs/translating.md)"


def test_the_compiled_catalog_matches_the_po_file(catalog):
    """The .mo is built by `make messages`; a stale one would show English or old text."""
    assert MO.exists(), "run `make messages`"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in _messages(catalog):
        if e.msgid_plural and e.msgctxt:
            got = tuple(compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) for n in (1, 2))
            want = (e.msgstr[0], e.msgstr[1])
        elif e.msgid_plural:
            got = tuple(compiled.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2))
            want = (e.msgstr[0], e.msgstr[1])
        elif e.msgctxt:
            got, want = compiled.pgettext(e.msgctxt, e.msgid), e.msgstr[0]
        else:
            got, want = compiled.gettext(e.msgid), e.msgstr[0]
        if got != want:
            stale.append(_where(e))
    assert stale == [], "run `make messages`"


def test_a_word_used_two_ways_is_told_apart_by_its_context():
    """ "Schedule" is a noun on the family application and a verb on a button."""
    with translation.override("es"):
        assert translation.gettext("Schedule") == "Horario"
        assert translation.pgettext("verb", "Schedule") == "Programar"


# --- Pages in Spanish --------------------------------------------------------------------


def test_the_join_form_follows_the_browser_language(world, client):
    response = client.get("/a/union-county/join/", HTTP_ACCEPT_LANGUAGE="es")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in body
    assert "Enviar la solicitud" in body
    assert "Send application" not in body


def test_english_stays_the_default(world, client):
    body = client.get("/a/union-county/join/").content.decode()
    assert '<html lang="en">' in body
    assert "Send application" in body


@pytest.mark.parametrize(
    ("path", "spanish"),
    [
        ("/a/union-county/", "La alianza en cifras"),
        ("/a/union-county/directory/", "Directorio de miembros"),
        ("/accounts/login/", "¿Olvidó su contraseña?"),
        ("/accounts/password-reset/", "Restablezca su contraseña"),
    ],
)
def test_public_pages_follow_the_language_cookie(world, client, path, spanish):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="es"' in body
    assert spanish in body


def test_the_language_switcher_switches_to_spanish(world, client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/a/union-county/"})
    assert response.status_code == 302
    assert response["Location"] == "/a/union-county/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    body = client.get("/a/union-county/").content.decode()
    assert "La alianza en cifras" in body
    # The switcher now offers the way back, labelled in its own language.
    assert 'name="language" value="en" lang="en"' in body


def test_the_profile_language_is_used_after_sign_in(world, client):
    with scopes_disabled():
        User.objects.filter(pk=world.family.pk).update(language="es")
    response = client.post(
        "/accounts/login/",
        {"email": world.family.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    home = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    body = home.content.decode()
    assert 'lang="es"' in body
    assert "Cerrar sesión" in body


def test_choosing_spanish_in_the_profile_switches_the_pages(world, as_user):
    client = as_user(world.sub)
    response = client.post(
        "/accounts/profile/",
        {"full_name": "Sub One", "phone": "908-555-0123", "language": "es"},
        follow=True,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Perfil guardado." in body
    assert 'lang="es"' in body
    world.sub.refresh_from_db()
    assert world.sub.language == "es"


def test_password_reset_email_is_in_the_account_holders_language(world, client):
    with scopes_disabled():
        User.objects.filter(pk=world.family.pk).update(language="es")
    response = client.post(
        "/accounts/password-reset/", {"email": world.family.email}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Restablezca su contraseña de Alliance"
    assert "Elija una nueva contraseña aquí" in mail.outbox[0].body


def test_an_invitation_email_is_written_in_the_invitees_language(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.invite(
            acting_user=world.hub,
            email="maria@example.org",
            kind=RoleKind.SUBSTITUTE,
            alliance=world.alliance,
            language="es",
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Tiene una invitación a ")
    assert "como suplente" in mail.outbox[0].body
