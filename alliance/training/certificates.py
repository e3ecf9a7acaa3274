"""Certificates of completion as PDF (fpdf2).

DejaVu Sans is embedded when it is installed (Debian: fonts-dejavu-core), so names such as
"Peña" or "Muñoz" and Spanish course titles print correctly; without it the built-in
Helvetica is used and characters outside Latin-1 are replaced.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from alliance.training.models import Registration

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts(pdf: FPDF) -> str:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "Helvetica"


def _text(value: str, family: str) -> str:
    if family == "DejaVu":
        return value
    return value.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(registration: Registration, *, language: str = "en") -> bytes:
    """The certificate of one attended registration, in ``language``."""
    session = registration.session
    course = session.course
    alliance = session.alliance
    day = session.starts_at.astimezone(ZoneInfo(alliance.timezone)).date()
    with translation.override(language):
        lines = {
            "heading": _("Certificate of completion"),
            "certify": _("This certifies that"),
            "completed": _("completed the training"),
            "details": _("on %(date)s — %(hours)s training hours")
            % {
                "date": formats.date_format(day, "DATE_FORMAT"),
                "hours": f"{session.hours.normalize():f}",
            },
            "trainer": _("Trainer: %(name)s") % {"name": session.trainer_display}
            if session.trainer_display
            else "",
            "language": _("Language: %(language)s") % {"language": session.get_language_display()},
            "code": _("Certificate number %(code)s") % {"code": registration.certificate_code},
            "issuer": alliance.name,
        }
    pdf = FPDF(orientation="L", unit="mm", format="Letter")
    pdf.set_title(f"{lines['heading']} — {course.title}")
    pdf.set_author(alliance.name)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    family = _fonts(pdf)
    pdf.set_draw_color(31, 78, 121)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(35)

    def line(text: str, size: int, style: str = "", gap: float = 4) -> None:
        if not text:
            return
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, _text(text, family), align="C")
        pdf.ln(gap)

    line(lines["heading"], 30, "B", 10)
    line(lines["certify"], 14)
    line(str(registration.person), 26, "B", 6)
    line(lines["completed"], 14)
    line(course.title, 20, "B", 6)
    line(lines["details"], 13)
    line(lines["trainer"], 12)
    line(lines["language"], 12, gap=14)
    line(lines["issuer"], 14, "B")
    line(lines["code"], 10)
    return bytes(pdf.output())
