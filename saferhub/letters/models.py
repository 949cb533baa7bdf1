"""Letter templates a partnership edits, their saved revisions, the letters issued from cases, and the
partnership's public branding (name, logo, contact details, privacy notice) used on letters and public pages."""

import uuid

from django.conf import settings
from django.db import models

from saferhub.core.models import CreatedModifiedByModel, TimeStampedModel
from saferhub.core.versioning import VersionedModel


class LetterKind(models.TextChoices):
    ASB_WARNING = "asb_warning", "ASB warning letter"
    CPW = "cpw", "Community Protection Warning"
    CPN = "cpn", "Community Protection Notice"
    FPN = "fpn", "Fixed penalty notice"
    ENGAGEMENT = "engagement", "Letter of engagement"
    HUB_ACKNOWLEDGEMENT = "hub_acknowledgement", "Victim Care Hub acknowledgement"
    CASE_REVIEW_OUTCOME = "case_review_outcome", "ASB Case Review outcome"


class Marking(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


class LetterTemplate(CreatedModifiedByModel, VersionedModel):
    """One partnership's wording of one kind of letter. Every save adds a `LetterTemplateRevision`."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    subject = models.CharField(max_length=300, help_text="The letter's heading; may use merge fields")
    body = models.TextField()
    marking = models.CharField(max_length=20, choices=Marking.choices, default=Marking.OFFICIAL_SENSITIVE)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["partnership", "kind"], name="unique_letter_template_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class LetterTemplateRevision(models.Model):
    """The wording as one save left it: issued letters name the revision they were made from."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    marking = models.CharField(max_length=20, choices=Marking.choices)
    saved_at = models.DateTimeField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="unique_letter_template_revision")]

    def __str__(self) -> str:
        return f"{self.template} revision {self.number}"


def _letter_path(letter: "IssuedLetter", filename: str) -> str:
    # Never a name from the letter's content: a random one under the partnership's directory.
    return f"letters/{letter.partnership_id}/{uuid.uuid4().hex}.docx"


class IssuedLetter(TimeStampedModel):
    """A letter generated from a case (or a Case Review application) and filed on it, with the exact file."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="letters")
    case_review = models.ForeignKey(
        "asb.CaseReview", on_delete=models.CASCADE, null=True, blank=True, related_name="letters"
    )
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    template_revision = models.ForeignKey(LetterTemplateRevision, on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(max_length=200, blank=True)
    deadline = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=_letter_path, max_length=200)
    filename = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="issued_letter_case_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_name or 'the recipient'}"


def _logo_path(branding: "PartnershipBranding", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"branding/{branding.partnership_id}/{uuid.uuid4().hex}.{extension}"


class PartnershipBranding(CreatedModifiedByModel, VersionedModel):
    """What the public sees of a partnership: on the Case Review pages and at the top of its letters."""

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.CASCADE, related_name="branding")
    public_name = models.CharField(max_length=200, blank=True, help_text="Leave blank to use the partnership's name")
    logo = models.FileField(upload_to=_logo_path, max_length=200, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    help_details = models.TextField(blank=True, help_text="Who to ask for help and how, shown on public pages")
    privacy_notice_url = models.URLField(blank=True)
    privacy_notice = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Public details of {self.partnership}"

    @property
    def display_name(self) -> str:
        return self.public_name or self.partnership.name
