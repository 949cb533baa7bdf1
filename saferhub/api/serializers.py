"""What the API returns. Codes travel with their labels, so a partner system can show either."""

from typing import Any

from rest_framework import serializers

from saferhub.asb.models import AsbCase, Intervention, Report
from saferhub.boards.models import Meeting
from saferhub.cases.models import Action, Case, Note, Participant, Referral
from saferhub.imports.models import ImportRun
from saferhub.panels.models import PanelReferral
from saferhub.people.models import Person
from saferhub.victims.models import HubReferral


class PersonSerializer(serializers.ModelSerializer):
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    disability_label = serializers.CharField(source="get_disability_display", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "age",
            "gender",
            "gender_label",
            "ethnicity",
            "disability",
            "disability_label",
            "first_language",
            "interpreter_needed",
            "external_ref",
            "version",
            "created_at",
            "modified_at",
        ]


class CaseSerializer(serializers.ModelSerializer):
    case_type = serializers.CharField(source="case_type.name", read_only=True)
    owning_team = serializers.CharField(source="owning_team.name", read_only=True)
    owning_agency = serializers.CharField(source="owning_team.agency.name", read_only=True)
    assigned_to = serializers.CharField(source="assigned_to.full_name", read_only=True, default=None, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    risk_level_label = serializers.CharField(source="get_risk_level_display", read_only=True)

    class Meta:
        model = Case
        fields = [
            "reference",
            "title",
            "summary",
            "case_type",
            "status",
            "status_label",
            "risk_level",
            "risk_level_label",
            "owning_team",
            "owning_agency",
            "assigned_to",
            "restricted",
            "opened_on",
            "closed_on",
            "closure_reason",
            "external_ref",
            "version",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields


class CaseChangeSerializer(serializers.Serializer):
    """A change to a case's details. `version` is the one you read: if someone saved since, 409."""

    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    risk_level = serializers.ChoiceField(choices=Case._meta.get_field("risk_level").choices, required=False)

    def validate_title(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Enter a title for the case")
        return value.strip()


class ParticipantSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "person", "role", "role_label", "created_at", "modified_at"]


class NoteSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.full_name", read_only=True, default=None, allow_null=True)
    agency = serializers.CharField(source="agency.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Note
        fields = ["id", "text", "created_by", "agency", "created_at", "modified_at"]
        read_only_fields = ["id", "created_by", "agency", "created_at", "modified_at"]

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Enter the note")
        return value


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.full_name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "owner",
            "due_on",
            "status",
            "status_label",
            "completed_at",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields


class ActionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    owner = serializers.EmailField(required=False, help_text="E-mail of a user of the partnership; you if left out")


class ReferralSerializer(serializers.ModelSerializer):
    to_team = serializers.CharField(source="to_team.name", read_only=True)
    from_agency = serializers.CharField(source="from_agency.name", read_only=True, default=None, allow_null=True)
    from_team = serializers.CharField(source="from_team.name", read_only=True, default=None, allow_null=True)
    case_type = serializers.CharField(source="case_type.name", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)
    case = serializers.SerializerMethodField()
    person = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "source",
            "source_label",
            "from_agency",
            "from_team",
            "referrer_name",
            "referrer_contact",
            "to_team",
            "case_type",
            "received_at",
            "reason",
            "person",
            "consent_given",
            "decision",
            "decision_label",
            "decision_reason",
            "decided_at",
            "case",
            "external_ref",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields

    def get_case(self, referral: Referral) -> str | None:
        """The case's reference once accepted, if the reader may see the case (else null)."""
        visible = self.context.get("visible_case_ids")
        if referral.case_id is None or visible is None or referral.case_id not in visible:
            return None
        return referral.case.reference if referral.case is not None else None


class HubReferralSerializer(serializers.ModelSerializer):
    referral = ReferralSerializer(read_only=True)
    crime_type = serializers.CharField(source="crime_type.label", read_only=True)
    referral_kind_label = serializers.CharField(source="get_referral_kind_display", read_only=True)

    class Meta:
        model = HubReferral
        fields = [
            "id",
            "referral",
            "received_on",
            "referral_kind",
            "referral_kind_label",
            "victim_type",
            "crime_type",
            "incident_date",
            "incident_in_area",
            "lives_in_area",
            "reported_to_police",
            "police_reference",
            "first_contact_due_on",
            "first_contact_on",
            "external_ref",
            "version",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields


class PanelReferralSerializer(serializers.ModelSerializer):
    panel_type = serializers.CharField(source="panel_type.name", read_only=True)
    referring_agency = serializers.CharField(source="referring_agency.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    person = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = PanelReferral
        fields = [
            "id",
            "panel_type",
            "person",
            "referral_date",
            "referring_agency",
            "referrer_name",
            "reason",
            "dash_score",
            "is_repeat",
            "heard_on",
            "status",
            "status_label",
            "decided_at",
            "external_ref",
            "version",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields


class AsbCaseSerializer(serializers.ModelSerializer):
    case = CaseSerializer(read_only=True)
    category = serializers.CharField(source="category.label", read_only=True)
    ward = serializers.CharField(source="ward.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = AsbCase
        fields = ["id", "case", "category", "ward", "location", "external_ref", "version", "created_at", "modified_at"]
        read_only_fields = fields


class AsbReportSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True)
    reported_to_label = serializers.CharField(source="get_reported_to_display", read_only=True)
    behaviour_on = serializers.DateField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "case",
            "reported_to",
            "reported_to_label",
            "reported_on",
            "behaviour_on",
            "description",
            "body_reference",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields


class InterventionSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True, default=None, allow_null=True)
    kind = serializers.CharField(source="kind.label", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    person = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "case",
            "kind",
            "person",
            "served_on_name",
            "premises",
            "served_on",
            "expires_on",
            "review_on",
            "status",
            "status_label",
            "details",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    board = serializers.CharField(source="board.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "board", "starts_at", "place", "status", "status_label", "version", "created_at", "modified_at"]
        read_only_fields = fields


class ImportRunSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "kind",
            "filename",
            "status",
            "status_label",
            "dry_run",
            "started_at",
            "finished_at",
            "rows_total",
            "rows_done",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The import kind, e.g. 'people' (see docs/imports.md)")
    file = serializers.FileField(help_text="A CSV file (UTF-8) with the kind's columns")
    dry_run = serializers.BooleanField(default=False)
    create_organisations = serializers.BooleanField(default=False)


class ReturnKindSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    needs_from = serializers.BooleanField()


class ReturnSerializer(serializers.Serializer):
    """The report's JSON exactly as `manage.py report KIND --format json` prints it."""

    def to_representation(self, instance: Any) -> Any:
        return instance


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=["referral.received", "referral.decided", "case.shared"]),
        allow_empty=False,
    )
    agency = serializers.CharField(source="agency.name", read_only=True)
    active = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    modified_at = serializers.DateTimeField(read_only=True)


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once: the key of the HMAC-SHA256 signature")
