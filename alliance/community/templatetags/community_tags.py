"""Template helpers for community pages: texts in the reader's language, safe posts."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from alliance.community.markup import render

register = template.Library()


@register.simple_tag
def survey_title(survey, lang: str) -> str:
    return survey.title_in(lang)


@register.simple_tag
def survey_intro(survey, lang: str) -> str:
    return survey.intro_in(lang)


@register.simple_tag
def section_title(section, lang: str) -> str:
    return section.title_in(lang)


@register.filter
def formatted(text: str) -> SafeString:
    """A post or announcement in the safe formatting subset (everything else escaped)."""
    return render(text or "")


@register.simple_tag
def formatted_with(text: str, handles) -> SafeString:
    return render(text or "", known_handles=handles)
