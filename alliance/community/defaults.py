"""The alliance's standard challenge themes and its original interest survey (the template
every alliance can copy), in English and Spanish."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_  # noqa: N812

# (code, English, Spanish, service, URL name of the service's hub page)
THEMES: list[tuple[str, str, str, str, str]] = [
    (
        "staff-recruiting",
        N_("Recruiting and keeping staff"),
        "Contratar y retener personal",
        N_("Shared job board and staffing"),
        "staffing:hub_pool",
    ),
    (
        "purchasing",
        N_("Prices on food and supplies"),
        "Precios de alimentos y materiales",
        N_("Group purchasing"),
        "purchasing:hub_home",
    ),
    (
        "benefits",
        N_("Staff benefits"),
        "Beneficios para el personal",
        N_("Pooled staff benefits"),
        "benefits:hub_dashboard",
    ),
    (
        "enrollment",
        N_("Staying fully enrolled"),
        "Mantener la inscripción completa",
        N_("Shared waiting list and enrollment"),
        "enrollment:hub_waitlist",
    ),
    (
        "substitutes",
        N_("Finding substitutes"),
        "Encontrar suplentes",
        N_("Substitute pool"),
        "substitutes:hub_numbers",
    ),
    (
        "billing",
        N_("Billing and collections"),
        "Facturación y cobros",
        N_("Shared billing"),
        "billing:hub_dashboard",
    ),
    (
        "finance",
        N_("Financial management"),
        "Gestión financiera",
        N_("Bookkeeping and budgets"),
        "finance:hub_dashboard",
    ),
    (
        "training",
        N_("Professional development"),
        "Desarrollo profesional",
        N_("Training calendar"),
        "training:hub_sessions",
    ),
    (
        "admin-support",
        N_("Administrative support"),
        "Apoyo administrativo",
        N_("Hub back office"),
        "",
    ),
    (
        "networking",
        N_("Networking with other providers"),
        "Conocer a otros proveedores",
        N_("Forum and networking events"),
        "community:forum",
    ),
]

FIVE_CHALLENGES = ("staff-recruiting", "purchasing", "benefits", "enrollment", "substitutes")


def _c(value: str, en: str, es: str, theme: str = "") -> dict[str, str]:
    choice = {"value": value, "en": en, "es": es}
    if theme:
        choice["theme"] = theme
    return choice


CHALLENGE_CHOICES = [
    _c("staff", "Recruiting and keeping staff", "Contratar y retener personal", "staff-recruiting"),
    _c("prices", "Prices on food and supplies", "Precios de alimentos y materiales", "purchasing"),
    _c("benefits", "Staff benefits", "Beneficios para el personal", "benefits"),
    _c("enrollment", "Staying fully enrolled", "Mantener la inscripción completa", "enrollment"),
    _c("substitutes", "Finding substitutes", "Encontrar suplentes", "substitutes"),
    _c("other", "Something else", "Otra cosa"),
]
SERVICE_CHOICES = [
    _c("billing", "Billing and collections", "Facturación y cobros", "billing"),
    _c("finance", "Financial management", "Gestión financiera", "finance"),
    _c("training", "Professional development", "Desarrollo profesional", "training"),
    _c("admin", "Administrative support", "Apoyo administrativo", "admin-support"),
    _c(
        "networking", "Networking with other providers", "Conocer a otros proveedores", "networking"
    ),
    _c("purchasing", "Group purchasing", "Compras en grupo", "purchasing"),
    _c("benefits", "Pooled staff benefits", "Beneficios compartidos", "benefits"),
    _c(
        "substitutes",
        "A shared substitute pool",
        "Un grupo compartido de suplentes",
        "substitutes",
    ),
]

# The interest survey: sections of questions. A question is a dict of Question fields;
# ``show_if`` names an earlier question by its "key".
INTEREST_SURVEY = {
    "title": "Child care provider interest survey",
    "title_es": "Encuesta de interés para proveedores de cuidado infantil",
    "intro": (
        "The county is exploring a shared services alliance for child care programs. "
        "Tell us what is hardest about running your program and which services would help."
    ),
    "intro_es": (
        "El condado está explorando una alianza de servicios compartidos para programas de "
        "cuidado infantil. Díganos qué es lo más difícil de su programa y qué servicios le "
        "ayudarían."
    ),
    "sections": [
        {
            "title": "About your program",
            "title_es": "Sobre su programa",
            "questions": [
                {
                    "key": "kind",
                    "kind": "single",
                    "text": "What kind of program do you run?",
                    "text_es": "¿Qué tipo de programa tiene?",
                    "required": True,
                    "choices": [
                        _c("center", "Child care center", "Centro de cuidado infantil"),
                        _c(
                            "family_home",
                            "Family child care home",
                            "Hogar de cuidado infantil familiar",
                        ),
                        _c("other", "Other", "Otro"),
                    ],
                },
                {
                    "key": "children",
                    "kind": "number",
                    "text": "How many children are enrolled?",
                    "text_es": "¿Cuántos niños tiene inscritos?",
                },
            ],
        },
        {
            "title": "Your challenges",
            "title_es": "Sus desafíos",
            "questions": [
                {
                    "key": "challenges",
                    "kind": "multiple",
                    "text": "Which are the biggest challenges for your program?",
                    "text_es": "¿Cuáles son los mayores desafíos de su programa?",
                    "required": True,
                    "choices": CHALLENGE_CHOICES,
                },
                {
                    "key": "sub_days",
                    "kind": "number",
                    "text": "How many days a month do you need a substitute?",
                    "text_es": "¿Cuántos días al mes necesita un(a) suplente?",
                    "show_if": "challenges",
                    "show_if_values": ["substitutes"],
                },
                {
                    "key": "challenge_story",
                    "kind": "long_text",
                    "text": "Tell us more about your hardest challenge.",
                    "text_es": "Cuéntenos más sobre su mayor desafío.",
                },
            ],
        },
        {
            "title": "Shared services",
            "title_es": "Servicios compartidos",
            "questions": [
                {
                    "key": "services",
                    "kind": "multiple",
                    "text": "Which shared services would help your program?",
                    "text_es": "¿Qué servicios compartidos ayudarían a su programa?",
                    "choices": SERVICE_CHOICES,
                },
                {
                    "key": "interest",
                    "kind": "rating",
                    "text": (
                        "How interested are you in joining an alliance? (1 = not at all, 5 = very)"
                    ),
                    "text_es": "¿Cuánto le interesa unirse a una alianza? (1 = nada, 5 = mucho)",
                    "required": True,
                },
                {
                    "key": "contact",
                    "kind": "short_text",
                    "text": "Best way to reach you (optional)",
                    "text_es": "La mejor manera de contactarle (opcional)",
                },
            ],
        },
    ],
}
