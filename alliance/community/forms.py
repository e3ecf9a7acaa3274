"""Forms validate and label input; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.community.models import (
    ActionStatus,
    CommitteeMember,
    DocumentAccess,
    DocumentCategory,
    EventKind,
    Question,
    QuestionKind,
    Section,
    Sector,
    SessionKind,
    SuggestionStatus,
    Survey,
    Theme,
)
from alliance.community.survey_logic import choices_text, parse_choices
from alliance.core.forms import ErrorMixin
from alliance.members.models import Program

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(ErrorMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "title",
            "title_es",
            "intro",
            "intro_es",
            "distribution",
            "anonymous",
            "closes_on",
        ]
        widgets = {
            "closes_on": DATE,
            "intro": forms.Textarea(attrs={"rows": 3}),
            "intro_es": forms.Textarea(attrs={"rows": 3}),
        }


class SectionForm(ErrorMixin, forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)
    title_es = forms.CharField(label=_("Section title (Spanish)"), max_length=200, required=False)


class QuestionForm(ErrorMixin, forms.Form):
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    text_es = forms.CharField(label=_("Question (Spanish)"), max_length=300, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For choice questions, one per line: English | Spanish | theme (optional)."),
    )
    scale_min = forms.IntegerField(label=_("Scale from"), initial=1, min_value=0, max_value=10)
    scale_max = forms.IntegerField(label=_("Scale to"), initial=5, min_value=0, max_value=10)
    show_if = forms.ModelChoiceField(
        label=_("Show only if this earlier question…"),
        queryset=Question.objects.none(),
        required=False,
    )
    show_if_values = forms.CharField(
        label=_("…was answered with one of these option values"),
        required=False,
        help_text=_("Separate values with commas, e.g. substitutes, staff."),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()
        self.fields["show_if"].queryset = survey.questions.filter(
            kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING]
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = parse_choices(data["choices"])
        data["show_if_values"] = [v.strip() for v in data["show_if_values"].split(",") if v.strip()]
        return data


class QuestionEditForm(QuestionForm):
    """Edit an existing question: wording, options, required, condition (not its type or
    section). The condition may only name questions before this one."""

    def __init__(self, *args, question: Question, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "text": question.text,
                "text_es": question.text_es,
                "required": question.required,
                "choices": choices_text(question.choices or []),
                "scale_min": question.scale_min,
                "scale_max": question.scale_max,
                "show_if": question.show_if_id,
                "show_if_values": ", ".join(question.show_if_values or []),
            },
        )
        super().__init__(*args, survey=question.survey, **kwargs)
        del self.fields["section"], self.fields["kind"]
        self.fields["show_if"].queryset = self.fields["show_if"].queryset.exclude(pk=question.pk)


class InviteForm(ErrorMixin, forms.Form):
    programs = forms.ModelMultipleChoiceField(
        label=_("Member programs"),
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = Program.objects.filter(alliance=alliance)


class ThemeForm(ErrorMixin, forms.Form):
    name = forms.CharField(label=_("Theme"), max_length=120)
    service = forms.CharField(
        label=_("Alliance service that answers it"), max_length=120, required=False
    )


class SessionForm(ErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=SessionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    facilitator = forms.CharField(label=_("Facilitator"), max_length=150)
    participant_count = forms.IntegerField(
        label=_("Number of participants"), min_value=1, max_value=500, initial=1
    )
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who took part (roles, not names)."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class QuoteForm(ErrorMixin, forms.Form):
    text = forms.CharField(label=_("Quote"), widget=forms.Textarea(attrs={"rows": 3}))
    speaker = forms.CharField(label=_("Speaker (role, not name)"), max_length=120, required=False)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(alliance=alliance)


class CommitteeMemberForm(ErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    organization = forms.CharField(label=_("Organization"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    joined_on = forms.DateField(label=_("Joined"), required=False, widget=DATE)


class MeetingForm(ErrorMixin, forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MinutesForm(ErrorMixin, forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    present = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = CommitteeMember.objects.filter(alliance=alliance)


class ActionItemForm(ErrorMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=CommitteeMember.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = CommitteeMember.objects.filter(alliance=alliance)


class ActionStatusForm(ErrorMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class SuggestionForm(ErrorMixin, forms.Form):
    title = forms.CharField(label=_("Your suggestion"), max_length=200)
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class SuggestionAnswerForm(ErrorMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SuggestionStatus.choices)
    response = forms.CharField(
        label=_("Response"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


FORMAT_HELP = _(
    "You can use **bold**, *italics*, [a link](https://…), lists starting with "
    "“- ” and @name to mention someone. HTML is shown as text."
)


class TopicForm(ErrorMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), help_text=FORMAT_HELP
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class ReplyForm(ErrorMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), help_text=FORMAT_HELP
    )


class ReportForm(ErrorMixin, forms.Form):
    reason = forms.CharField(label=_("What is wrong with this post?"), max_length=300)


class AnnouncementForm(ErrorMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), help_text=FORMAT_HELP
    )
    to_all = forms.BooleanField(
        label=_("Send to every member program"), required=False, initial=True
    )
    programs = forms.ModelMultipleChoiceField(
        label=_("Or only to these programs"),
        queryset=Program.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = Program.objects.filter(alliance=alliance)


class DocumentForm(ErrorMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices)
    access = forms.ChoiceField(label=_("Who may see it"), choices=DocumentAccess.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, text or image; 10 MB at most."),
    )


class VersionForm(ErrorMixin, forms.Form):
    file = forms.FileField(label=_("New version"), required=False)
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)


class EventForm(ErrorMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=EventKind.choices)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity = forms.IntegerField(
        label=_("Seats"), required=False, min_value=1, help_text=_("Leave empty for no limit.")
    )
    is_public = forms.BooleanField(
        label=_("List on the public calendar"), required=False, initial=True
    )
