"""Forms of the strategy, indicator and commissioned service pages. Every message names its field and what to do."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict

from saferhub.accounts.models import Agency
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.versioning import VERSION_ERRORS, VersionedFormMixin
from saferhub.governance.indicators import OptionChoices
from saferhub.governance.models import Frequency, GoodDirection, ServiceKpi, Source, Unit
from saferhub.governance.periods import PERIOD_HELP, parse_period
from saferhub.reporting.periods import Period
from saferhub.reporting.registry import ReportOption

BIGGEST = Decimal("999999999999.99")


def number_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    name = label.lower()
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=-BIGGEST,
        max_value=BIGGEST,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {name}",
            "invalid": f"Enter the {name} as a number, like 374 or 12.5",
            "max_decimal_places": f"Enter the {name} with at most two decimal places",
            "max_digits": f"Enter a {name} below a trillion",
            "max_whole_digits": f"Enter a {name} below a trillion",
            "max_value": f"Enter a {name} below a trillion",
            "min_value": f"Enter a {name} above minus a trillion",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )


class PeriodField(forms.CharField):
    """A financial quarter ("2026/27 Q1") or year ("2026/27"); cleans to a Period."""

    def __init__(self, *args: Any, quarters_only: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.quarters_only = quarters_only

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        try:
            period = parse_period(text)
        except ValueError:
            raise forms.ValidationError(
                f"Enter the {str(self.label).lower()} as "
                + ("a financial quarter such as 2026/27 Q1" if self.quarters_only else PERIOD_HELP)
            ) from None
        if self.quarters_only and len(period.label) == 7:
            raise forms.ValidationError(f"Enter a quarter of {period.label}, such as {period.label} Q1")
        return period


class StrategyForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the strategy's name"})
    runs = forms.CharField(label="Years it runs", max_length=100, required=False, help_text="For example, 2023 to 2026")
    summary = forms.CharField(
        label="Summary", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PriorityForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Priority", max_length=200, error_messages={"required": "Enter the priority"})
    outcomes = forms.CharField(
        label="Outcomes sought",
        required=False,
        max_length=5000,
        help_text="One outcome a line",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class StrategyChangeForm(StrategyForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


class PriorityChangeForm(PriorityForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


def option_messages(option: ReportOption) -> dict[str, str]:
    """The same messages on both forms: what is missing, and what to do about it."""
    label = option.label.lower()
    return {
        "required": f"Select the {label} whose figures the indicator takes, then choose “Show the return's figures”",
        "invalid_choice": f"Select one of the partnership's {label}s in the list, then choose “Show the return's figures”",
    }


class MeasureChoiceForm(GovukFormMixin, forms.Form):
    """Step one for a return's figure (GET): which return and, for a return that needs them, its options
    (the panel type of `marac`), so the next form can list its figures for them."""

    report = forms.ChoiceField(label="Return", required=False)

    def __init__(
        self, *args: Any, reports: list[tuple[str, str]], options: OptionChoices | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [("", "Choose a return"), *reports]  # type: ignore[attr-defined]
        options = options or []
        self.option_names = [option.name for option, _ in options]
        for option, choices in options:
            blank = option.blank_label or f"Choose a {option.label.lower()}"
            self.fields[option.name] = forms.ChoiceField(
                label=option.label,
                required=option.required,
                choices=[("", blank), *choices],
                error_messages=option_messages(option),
            )

    @property
    def option_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.option_names]

    def show_errors(self, errors: dict[str, Any]) -> None:
        """The indicator form's errors on the options, shown by the selects they are chosen in (this form,
        unbound, only shows what was chosen)."""
        self._errors = ErrorDict({name: self.error_class(messages) for name, messages in errors.items()})


class IndicatorForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the indicator's name"})
    definition = forms.CharField(
        label="Definition",
        required=False,
        max_length=5000,
        help_text="What is counted, and how",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices, error_messages={"required": "Select the unit"})
    good_direction = forms.ChoiceField(
        label="Which direction is good",
        choices=GoodDirection.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a higher or a lower figure is better"},
    )
    frequency = forms.ChoiceField(
        label="Reported",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is reported each quarter or each year"},
    )
    baseline_value = number_field("Baseline", required=False)
    baseline_period = PeriodField(
        label="Baseline period", required=False, help_text="For example, 2023/24 or 2023/24 Q1"
    )
    amber_tolerance = forms.DecimalField(
        label="Amber tolerance (%)",
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        initial=Decimal("10"),
        help_text="A figure worse than its target by no more than this percentage of the target is amber; "
        "further off it is red",
        error_messages={
            "required": "Enter the amber tolerance as a percentage, like 10",
            "invalid": "Enter the amber tolerance as a percentage, like 10",
            "min_value": "Enter an amber tolerance of 0 or more",
            "max_value": "Enter an amber tolerance of 100 or less",
            "max_digits": "Enter an amber tolerance of 100 or less",
            "max_decimal_places": "Enter the amber tolerance with at most one decimal place",
            "max_whole_digits": "Enter an amber tolerance of 100 or less",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    source = forms.ChoiceField(
        label="Where its figure comes from",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the indicator's figure comes from"},
    )
    measure_path = forms.ChoiceField(
        label="Figure of the return", required=False, help_text="Each figure with its value in the latest quarter"
    )
    kpi = forms.ModelChoiceField(
        label="Commissioned service's KPI",
        queryset=ServiceKpi.objects.none(),
        required=False,
        empty_label="Choose a KPI",
    )

    def __init__(
        self,
        *args: Any,
        report: str,
        measures: list[tuple[str, str]],
        partnership_id: int | None,
        options: OptionChoices | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        # The return's options come from step one and travel hidden; they are checked in clean().
        self.report_options = options or []
        for option, _choices in self.report_options:
            self.fields[option.name] = forms.CharField(
                label=option.label, required=False, max_length=100, widget=forms.HiddenInput
            )
        self.fields["measure_path"].choices = [("", "Choose a figure"), *measures]  # type: ignore[attr-defined]
        # Archived KPIs and services are not offered, except the KPI an indicator already takes.
        offered = Q(archived_at__isnull=True, service__archived_at__isnull=True)
        current = self.initial.get("kpi")
        if current:
            offered |= Q(pk=getattr(current, "pk", current))
        self.fields["kpi"].queryset = (  # type: ignore[attr-defined]
            ServiceKpi.objects.filter(offered, service__partnership_id=partnership_id or 0)
            .select_related("service")
            .order_by("service__name", "position")
        )
        self.fields["kpi"].label_from_instance = lambda kpi: f"{kpi.service.name}: {kpi.name}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source == Source.RETURN:
            unchosen = self._check_options(data)
            if unchosen:
                # Its figures cannot be listed (nor checked) until the options are chosen: that error is enough.
                self.errors.pop("measure_path", None)
            if not self.report:
                self.add_error("measure_path", "Choose a return first, then the figure of it the indicator takes")
            elif not unchosen and not data.get("measure_path"):
                self.add_error("measure_path", "Select the figure of the return the indicator takes")
        if source == Source.PROVIDER and not data.get("kpi"):
            self.add_error("kpi", "Select the commissioned service's KPI the indicator takes")
        if data.get("baseline_value") is not None and not data.get("baseline_period"):
            self.add_error("baseline_period", "Enter the period the baseline is for, such as 2023/24")
        return data

    def _check_options(self, data: dict[str, Any]) -> bool:
        """An error on each option of the return that is missing or not one of the partnership's; True if any."""
        found = False
        for option, choices in self.report_options:
            value = data.get(option.name) or ""
            if option.name in self.errors:
                found = True
            elif option.required and not value:
                self.add_error(option.name, option_messages(option)["required"])
                found = True
            elif value and value not in {code for code, _ in choices}:
                self.add_error(option.name, option_messages(option)["invalid_choice"])
                found = True
        return found

    def chosen_options(self) -> dict[str, str]:
        """The return's options as the return takes them: only those chosen."""
        return {
            option.name: self.cleaned_data[option.name]
            for option, _ in self.report_options
            if self.cleaned_data.get(option.name)
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        period = data.get("baseline_period")
        return {
            "name": data["name"],
            "definition": data["definition"],
            "unit": data["unit"],
            "good_direction": data["good_direction"],
            "frequency": data["frequency"],
            "baseline_value": data["baseline_value"],
            "baseline_period": period.label if isinstance(period, Period) else "",
            "amber_tolerance": data["amber_tolerance"],
            "source": data["source"],
            "report": self.report if data["source"] == Source.RETURN else "",
            "report_options": self.chosen_options() if data["source"] == Source.RETURN else {},
            "measure_path": data["measure_path"] or "",
            "kpi": data["kpi"],
        }


class IndicatorChangeForm(IndicatorForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


class TargetForm(GovukFormMixin, forms.Form):
    period = PeriodField(label="Period", error_messages={"required": "Enter the period, such as 2026/27 Q1"})
    value = number_field("Target", required=False, help_text="Leave it blank to remove the period's target")


class ValueForm(GovukFormMixin, forms.Form):
    period = PeriodField(label="Period", error_messages={"required": "Enter the period, such as 2026/27 Q1"})
    value = number_field("Figure", required=False)
    commentary = forms.CharField(
        label="Commentary", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, entered: bool, frequency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frequency = frequency
        if not entered:
            # Computed figures come from their source; only the commentary is written here.
            del self.fields["value"]

    def clean_period(self) -> Any:
        period = self.cleaned_data["period"]
        is_year = len(period.label) == 7
        if is_year != (self.frequency == Frequency.YEAR):
            raise forms.ValidationError(
                "Enter a financial year, such as 2026/27: this indicator is reported each year"
                if self.frequency == Frequency.YEAR
                else "Enter a financial quarter, such as 2026/27 Q1: this indicator is reported each quarter"
            )
        return period


# Commissioned services ---------------------------------------------------------------------------


class ServiceForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Service name", max_length=200, error_messages={"required": "Enter the service's name"}
    )
    agency: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Provider organisation",
        queryset=Agency.objects.none(),
        empty_label="Choose the organisation",
        help_text="Its users with the commissioned service provider role fill in the returns",
        error_messages={"required": "Select the organisation that provides the service"},
    )
    contract_name = forms.CharField(label="Contract", max_length=200, required=False)
    contract_starts_on = SensibleDateField(
        label="Contract starts", required=False, error_messages={"invalid": "Enter the contract's start as 2026-04-01"}
    )
    contract_ends_on = SensibleDateField(
        label="Contract ends", required=False, error_messages={"invalid": "Enter the contract's end as 2027-03-31"}
    )
    description = forms.CharField(
        label="What it provides", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("contract_starts_on"), data.get("contract_ends_on")
        if starts and ends and ends < starts:
            self.add_error("contract_ends_on", "The contract's end must be on or after its start: check both dates")
        return data


class KpiForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="KPI", max_length=200, error_messages={"required": "Enter the KPI's name"})
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices, error_messages={"required": "Select the unit"})
    good_direction = forms.ChoiceField(
        label="Which direction is good",
        choices=GoodDirection.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a higher or a lower figure is better"},
    )
    quarterly_target = number_field("Target per quarter", required=False)


class ServiceChangeForm(VersionedFormMixin, ServiceForm):
    pass


class KpiChangeForm(VersionedFormMixin, KpiForm):
    pass


class ArchiveForm(GovukFormMixin, forms.Form):
    """The confirm page of an archive: why, optionally, kept with the record and in the audit."""

    reason = forms.CharField(
        label="Why is it being archived? (optional)",
        required=False,
        max_length=255,
        error_messages={"max_length": "Enter the reason in 255 characters or fewer"},
    )


class ReturnRequestForm(GovukFormMixin, forms.Form):
    period = PeriodField(
        label="Quarter", quarters_only=True, error_messages={"required": "Enter the quarter, such as 2026/27 Q1"}
    )
    due_on = SensibleDateField(
        label="Due date",
        error_messages={"required": "Enter the date the return is due", "invalid": "Enter the due date as 2026-07-31"},
    )


class ProviderReturnForm(GovukFormMixin, forms.Form):
    """The provider's figures: one field per KPI (`kpi_<id>`), then the narrative and case studies."""

    narrative = forms.CharField(
        label="Narrative",
        required=False,
        max_length=10000,
        help_text="What the service did this quarter, and what helped or got in the way",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    case_studies = forms.CharField(
        label="Case studies",
        required=False,
        max_length=10000,
        help_text="Anonymised: no names, addresses, dates of birth or anything else that could identify someone",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)

    def __init__(self, *args: Any, kpis: list[ServiceKpi], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        figures = {}
        for kpi in kpis:
            target = f"Target per quarter: {kpi.quarterly_target.normalize():f}. " if kpi.quarterly_target else ""
            field = number_field(kpi.name, required=False, help_text=f"{target}{kpi.get_unit_display()}")
            figures[f"kpi_{kpi.pk}"] = field
        # The figures come first on the page.
        self.fields = {**figures, **self.fields}  # type: ignore[assignment]

    def kpi_values(self) -> dict[int, Any]:
        return {kpi.pk: self.cleaned_data.get(f"kpi_{kpi.pk}") for kpi in self.kpis}

    def missing(self) -> list[str]:
        return [kpi.name for kpi in self.kpis if self.cleaned_data.get(f"kpi_{kpi.pk}") is None]


class DecisionForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


class SendBackForm(DecisionForm):
    reason = forms.CharField(
        label="What the provider needs to change",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the provider needs to change"},
    )
