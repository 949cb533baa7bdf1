"""Forms of the boards pages. Every message names its field and what to do."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from saferhub.accounts.models import Agency, User
from saferhub.boards.models import (
    ActionStatus,
    AgendaItem,
    AttendanceStatus,
    Board,
    BoardMember,
    Meeting,
    MeetingStatus,
    MemberRole,
)
from saferhub.boards.papers import ACCEPTED, PaperRefused, check
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.versioning import VERSION_ERRORS


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


def _date(label: str, *, required: bool = True) -> SensibleDateField:
    what = label[0].lower() + label[1:]
    return SensibleDateField(
        label=label,
        required=required,
        error_messages={"required": f"Enter the {what}", "invalid": f"Enter the {what} as 2026-10-14"},
    )


def _text(label: str, *, max_length: int, required: bool = True, rows: int = 0, help_text: str = "") -> forms.CharField:
    what = label[0].lower() + label[1:]
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={
            "required": f"Enter the {what}",
            "max_length": f"Shorten the {what} to {max_length} characters or fewer",
        },
    )


class BoardForm(GovukFormMixin, forms.Form):
    name = _text("Name", max_length=200, help_text="For example, VAWG Delivery Group")
    parent = forms.ModelChoiceField(
        label="Reports to",
        queryset=Board.objects.none(),
        required=False,
        empty_label="Nothing: it is the partnership board",
        help_text="A subgroup (a delivery group) reports to its parent board.",
        error_messages={"invalid_choice": "Choose the board it reports to from the list"},
    )
    purpose = _text("Purpose", max_length=5000, required=False, rows=3)

    def __init__(self, *args: Any, partnership_id: int, board: Board | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.board = board
        self.partnership_id = partnership_id
        boards = Board.objects.of(partnership_id).order_by("name")
        if board is not None:
            boards = boards.exclude(pk=board.pk)
        self.fields["parent"].queryset = boards  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Board.objects.of(self.partnership_id).filter(name__iexact=name)
        if self.board is not None:
            clash = clash.exclude(pk=self.board.pk)
        if clash.exists():
            raise forms.ValidationError("A board of that name exists already: enter another name")
        return name

    def clean_parent(self) -> Board | None:
        parent = self.cleaned_data["parent"]
        ancestor = parent
        while ancestor is not None and self.board is not None:
            if ancestor.pk == self.board.pk:
                raise forms.ValidationError("A board cannot report to one of its own subgroups: choose another")
            ancestor = ancestor.parent
        return parent


class BoardChangeForm(BoardForm):
    version = _version()


class MemberForm(GovukFormMixin, forms.Form):
    name = _text("Name", max_length=200, help_text="As it appears in the minutes, for example Cllr A. Example")
    agency = forms.ModelChoiceField(
        label="Partner agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Not a partner agency",
        error_messages={"invalid_choice": "Choose the partner agency from the list"},
    )
    organisation = _text(
        "Other organisation",
        max_length=200,
        required=False,
        help_text="When they represent an organisation that is not a partner agency, for example a university.",
    )
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the member's role", "invalid_choice": "Choose the member's role"},
    )
    user = forms.ModelChoiceField(
        label="Saferhub account",
        queryset=User.objects.none(),
        required=False,
        empty_label="None",
        help_text="A linked account reads the board's full papers, restricted items included; "
        "the secretariat's manages the board.",
        error_messages={"invalid_choice": "Choose the account from the list"},
    )
    started_on = _date("Start date")
    ended_on = _date("End date", required=False)

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership_id=partnership_id).order_by("name")  # type: ignore[attr-defined]
        self.fields["user"].queryset = User.objects.filter(partnership_id=partnership_id, is_active=True).order_by(  # type: ignore[attr-defined]
            "full_name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "agency" in data and "organisation" in data:
            if data["agency"] is None and not data["organisation"]:
                self.add_error("agency", "Choose the partner agency the member represents, or enter their organisation")
            elif data["agency"] is not None and data["organisation"]:
                self.add_error("organisation", "Leave the other organisation blank when you choose a partner agency")
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "The end date must be on or after the start date")
        return data


class MemberChangeForm(MemberForm):
    version = _version()


# "10:00" as typed; "10:00:00" is how a time already held comes back from a re-sent form.
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]


class MeetingForm(GovukFormMixin, forms.Form):
    date = _date("Date")
    time = forms.TimeField(
        label="Start time",
        help_text="For example, 10:00 or 14:30",
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the start time", "invalid": "Enter the start time as 10:00"},
    )
    place = _text("Place", max_length=300, required=False, help_text="The venue, or 'Online'")
    status = forms.ChoiceField(
        label="Status",
        choices=MeetingStatus.choices,
        widget=forms.RadioSelect,
        initial=MeetingStatus.PLANNED,
        error_messages={"required": "Choose the meeting's status", "invalid_choice": "Choose the meeting's status"},
    )
    finished_at = forms.TimeField(
        label="Finishing time",
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        help_text="Recorded in the minutes once the meeting has been held",
        error_messages={"invalid": "Enter the finishing time as 12:00"},
    )

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(),
            "place": data["place"],
            "status": data["status"],
            "finished_at": data["finished_at"],
        }


class MeetingChangeForm(MeetingForm):
    version = _version()


def meeting_initial(meeting: Meeting) -> dict[str, Any]:
    local = timezone.localtime(meeting.starts_at)
    return {
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "place": meeting.place,
        "status": meeting.status,
        "finished_at": meeting.finished_at,
    }


class AgendaItemForm(GovukFormMixin, forms.Form):
    number = forms.IntegerField(
        label="Item number",
        min_value=1,
        max_value=999,
        error_messages={
            "required": "Enter the item number",
            "invalid": "Enter the item number as a whole number, like 5",
            "min_value": "Enter an item number of 1 or more",
            "max_value": "Enter an item number of 999 or fewer",
        },
    )
    title = _text("Title", max_length=300)
    owner = _text("Presented by", max_length=200, required=False, help_text="Name and role, for example the analyst")
    minutes_allotted = forms.IntegerField(
        label="Time allotted in minutes",
        required=False,
        min_value=1,
        max_value=600,
        error_messages={
            "invalid": "Enter the time allotted as a whole number of minutes, like 15",
            "min_value": "Enter a time allotted of 1 minute or more",
            "max_value": "Enter a time allotted of 600 minutes or fewer",
        },
    )
    restricted = forms.BooleanField(
        label="Restricted: exempt from publication",
        required=False,
        help_text="The published agenda and minutes show only 'Item N: restricted'; members and the secretariat "
        "see it all.",
    )
    restriction_reason = _text("Reason it is restricted", max_length=300, required=False)

    def __init__(self, *args: Any, meeting: Meeting, item: AgendaItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting, self.item = meeting, item

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        clash = self.meeting.items.filter(number=number)
        if self.item is not None:
            clash = clash.exclude(pk=self.item.pk)
        if clash.exists():
            raise forms.ValidationError(f"The agenda has an item {number} already: enter another item number")
        return int(number)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("restricted") and not data.get("restriction_reason") and "restriction_reason" not in self.errors:
            self.add_error("restriction_reason", "Enter why the item is exempt from publication")
        return data


class AgendaItemChangeForm(AgendaItemForm):
    version = _version()


class MinutesForm(GovukFormMixin, forms.Form):
    minutes = _text("Minutes", max_length=20000, required=False, rows=8)
    decisions = _text(
        "Decisions",
        max_length=10000,
        required=False,
        rows=4,
        help_text="One decision a line, without 'RESOLVED': for example, that the minutes of the meeting held "
        "on 14 July 2026 be approved as a correct record.",
    )
    version = _version()

    def decision_lines(self) -> list[str]:
        lines = (line.strip() for line in self.cleaned_data["decisions"].splitlines())
        return [line.removeprefix("RESOLVED:").removeprefix("RESOLVED").strip() for line in lines if line]


class PaperForm(GovukFormMixin, forms.Form):
    title = _text("Title of the paper", max_length=200)
    file = forms.FileField(
        label="File",
        help_text=f"A {ACCEPTED} file of 20 MB or less.",
        error_messages={
            "required": "Choose the paper's file",
            "empty": "The file you chose is empty: choose the paper's file",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(
                "The file is larger than 20 MB: reduce its size (for example, compress its pictures)"
            )
        try:
            return check(upload.name or "", upload.read())
        except PaperRefused as refused:
            raise forms.ValidationError(str(refused)) from refused


ATTENDANCE_CHOICES = [("", "Not recorded"), *AttendanceStatus.choices]


class AttendanceForm(GovukFormMixin, forms.Form):
    """One status and an optional substitute per current member of the board."""

    version = _version()

    def __init__(self, *args: Any, members: list[BoardMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=str(member),
                choices=ATTENDANCE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": f"Choose whether {member.name} was present, sent apologies or was absent"
                },
            )
            self.fields[f"substitute_{member.pk}"] = forms.CharField(
                label=f"Represented by (instead of {member.name})",
                required=False,
                max_length=200,
                error_messages={"max_length": "Shorten the substitute's name to 200 characters or fewer"},
            )

    def rows(self) -> list[tuple[BoardMember, Any, Any]]:
        return [(m, self[f"status_{m.pk}"], self[f"substitute_{m.pk}"]) for m in self.members]

    def entries(self) -> dict[BoardMember, tuple[str, str]]:
        data = self.cleaned_data
        return {m: (data[f"status_{m.pk}"], data[f"substitute_{m.pk}"].strip()) for m in self.members}


class ActionForm(GovukFormMixin, forms.Form):
    text = _text("Action", max_length=5000, rows=3)
    owner = _text("Owner", max_length=200, help_text="Who will do it: a name and organisation")
    due_on = _date("Due date", required=False)
    item = forms.ModelChoiceField(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="None",
        help_text="An action of a restricted item is seen only by the board's members.",
        error_messages={"invalid_choice": "Choose the agenda item from the list"},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.order_by("number")  # type: ignore[attr-defined]


class ActionChangeForm(GovukFormMixin, forms.Form):
    text = _text("Action", max_length=5000, rows=3)
    owner = _text("Owner", max_length=200)
    due_on = _date("Due date", required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status", "invalid_choice": "Choose the action's status"},
    )
    completed_on = _date("Date done", required=False)
    update = _text("Progress update", max_length=5000, required=False, rows=3)
    version = _version()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ActionStatus.DONE:
            if "completed_on" in data and data["completed_on"] is None:
                self.add_error("completed_on", "Enter the date the action was done")
        elif data.get("completed_on"):
            self.add_error("completed_on", "Leave the date done blank unless the status is Done")
        return data


class CompleteActionForm(GovukFormMixin, forms.Form):
    version = _version()


class ForwardItemForm(GovukFormMixin, forms.Form):
    title = _text("Title", max_length=300)
    owner = _text("Presented by", max_length=200, required=False)
    meeting = forms.ModelChoiceField(
        label="Planned for",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="A later meeting, not yet set",
        error_messages={"invalid_choice": "Choose the meeting from the list"},
    )

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = board.meetings.filter(status=MeetingStatus.PLANNED).order_by("starts_at")  # type: ignore[attr-defined]
        self.fields["meeting"].label_from_instance = lambda m: f"{timezone.localtime(m.starts_at):%-d %B %Y}"  # type: ignore[attr-defined]


class ForwardItemChangeForm(ForwardItemForm):
    version = _version()
