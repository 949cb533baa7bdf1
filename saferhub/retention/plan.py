"""What erasing a case removes, model by model, and where each model's rows hang from the case.

Erasure keeps every row, code, date, status and count that the returns read (case
types, statuses, dates, crime and support types, gender, ethnicity, disability, ward,
LSOA) and removes what identifies or describes people: names, contact details,
identifiers from other systems, addresses and every free-text field. Required text
fields get ERASED so the pages still read sensibly; optional ones become blank.

The subject access export reads the same list, so what is held and what is erased
never drift apart. A module that adds a model holding personal data adds it here
(test_plan checks every entry still exists).
"""

from dataclasses import dataclass

ERASED = "Erased under the retention policy"


@dataclass(frozen=True)
class Source:
    label: str  # app_label.Model
    to_case: str  # lookup from the model to the case ("" for the case itself)
    erase: tuple[str, ...] = ()  # text fields to clear
    title: str = ""  # the file name in a subject access export

    @property
    def case_lookup(self) -> str:
        return f"{self.to_case}_id" if self.to_case else "pk"


HUB = "hub_referral__referral__case"

CASE_SOURCES: tuple[Source, ...] = (
    Source("cases.Case", "", ("title", "summary", "external_ref"), "cases"),
    Source("cases.Note", "case", ("text",), "case_notes"),
    Source("cases.Action", "case", ("title",), "case_actions"),
    Source("cases.StageLog", "case", ("reason",), "case_status_history"),
    Source("cases.CaseLocation", "case", ("description",), "case_locations"),
    Source("cases.CaseLink", "from_case", ("reason",), "case_links"),
    Source("cases.CaseShare", "case", ("purpose",), "case_shares"),
    Source("cases.BreakGlassGrant", "case", ("reason", "review_note"), "case_emergency_access"),
    Source("cases.ClosureRequest", "case", ("note", "return_reason"), "case_closure_requests"),
    Source(
        "cases.Referral",
        "case",
        ("referrer_name", "referrer_contact", "reason", "decision_reason", "external_ref"),
        "case_referrals",
    ),
    Source("assessments.Assessment", "case", ("notes",), "assessments"),
    Source("assessments.Answer", "assessment__case", (), "assessment_answers"),
    Source(
        "victims.HubReferral",
        "referral__case",
        ("police_reference", "external_ref", "contact_phone", "contact_address", "contact_email", "language"),
        "hub_referrals",
    ),
    Source("victims.ContactAttempt", HUB, ("notes",), "hub_contact_attempts"),
    Source("victims.CarePlanItem", HUB, ("description", "outcome"), "hub_care_plan_items"),
    Source("victims.SupportDelivered", HUB, ("notes",), "hub_support_delivered"),
    Source("victims.SafetyItem", HUB, ("notes",), "hub_safety_items"),
    Source("victims.OnwardReferral", HUB, ("reason",), "hub_onward_referrals"),
    Source("victims.RightRecord", HUB, ("notes",), "hub_victims_code_rights"),
    Source("panels.PanelCase", "case", (), "panel_cases"),
    Source(
        "panels.PanelReferral",
        "panel_case__case",
        ("referrer_name", "reason", "professional_judgement_reason", "external_ref", "return_reason"),
        "panel_referrals",
    ),
    Source("panels.Hearing", "panel_case__case", ("risks", "decisions"), "panel_hearings"),
    Source("panels.SharedInformation", "hearing__panel_case__case", ("information",), "panel_information_shared"),
    Source("asb.AsbCase", "case", ("location", "external_ref"), "asb_cases"),
    Source("asb.Incident", "case", ("summary",), "asb_incidents"),
    Source("asb.Report", "case", ("description", "body_reference"), "asb_reports"),
    Source("asb.Intervention", "case", ("served_on_name", "premises", "details", "external_ref"), "asb_interventions"),
    Source(
        "asb.CaseReview",
        "case",
        (
            "applicant_name",
            "applicant_email",
            "applicant_phone",
            "applicant_address",
            "applicant_postcode",
            "on_behalf_of",
            "case_reference_given",
            "problem",
            "problem_location",
            "reports_made",
            "threshold_reason",
            "attendees",
            "victim_views",
            "outcome_summary",
            "appeal_grounds",
            "appeal_outcome",
            "external_ref",
        ),
        "asb_case_reviews",
    ),
    Source("asb.ReviewItem", "review__case", ("text",), "asb_case_review_items"),
    Source("missing.MissingChild", "case", (), "missing_children"),
    Source(
        "missing.Episode",
        "child__case",
        (
            "police_reference",
            "where_found",
            "push_factors",
            "pull_factors",
            "disclosures",
            "concerns_raised",
            "onward_referrals",
            "external_ref",
        ),
        "missing_episodes",
    ),
    Source(
        "missing.StrategyMeeting",
        "episode__child__case",
        ("attendees", "decisions", "actions"),
        "missing_strategy_meetings",
    ),
    Source("iom.CohortStay", "case", ("selection_reason", "deselection_note", "external_ref"), "iom_cohort_stays"),
    Source("iom.RagStatus", "stay__case", ("note",), "iom_rag_statuses"),
    Source("iom.PlanItem", "stay__case", ("action", "referred_to"), "iom_plan_items"),
    Source("iom.Contact", "stay__case", ("note",), "iom_contacts"),
    Source(
        "rj.RjCase",
        "case",
        ("referrer", "harm_summary", "screening_notes", "outcome_notes", "external_ref"),
        "rj_cases",
    ),
    Source("rj.Party", "rj_case__case", (), "rj_parties"),
    Source("rj.PreparationMeeting", "rj_case__case", ("notes",), "rj_preparation_meetings"),
    Source("rj.AgreementAction", "rj_case__case", ("text",), "rj_agreement_actions"),
    Source("letters.IssuedLetter", "case", ("recipient_name",), "letters_issued"),
)

# Where people hang from a case: (model, lookup to the case, the person field). A person none of
# whose rows here reaches a case that is kept (or a row with no case, such as a pending referral
# or a PSPO breach) is anonymised with the case.
PERSON_LINKS: tuple[tuple[str, str, str], ...] = (
    ("cases.Participant", "case", "person"),
    ("cases.Referral", "case", "person"),
    ("assessments.Assessment", "case", "person"),
    ("panels.PanelCase", "case", "person"),
    ("panels.PanelReferral", "panel_case__case", "person"),
    ("panels.IncidentPerson", "referral__panel_case__case", "person"),
    ("asb.Report", "case", "reporter"),
    ("asb.Intervention", "case", "person"),
    ("asb.PspoBreach", "", "person"),
    ("missing.MissingChild", "case", "person"),
    ("iom.CohortStay", "case", "person"),
    ("rj.Party", "rj_case__case", "person"),
)

# Records about a person rather than a case: when the person is anonymised (no case of theirs is
# kept) their text fields are cleared like a case's; the subject access export includes them.
PERSON_RECORDS: tuple[Source, ...] = (
    Source("iom.Offence", "person", ("note", "external_ref"), "iom_offences"),
    Source("missing.IntelLink", "person", ("notes",), "missing_intelligence_links"),
)

# Uploaded files hanging from a case: erasure deletes the stored file as well as clearing the text.
FILE_SOURCES: tuple[Source, ...] = (
    Source("search.Attachment", "case", ("description", "filename"), "case_attachments"),
    Source("search.Attachment", "referral__case", ("description", "filename"), "referral_attachments"),
)

# Registers of staff and volunteers (no `people.Person`, no case): a member's details are kept while
# they are on the register and, after they leave, until the end of that year plus the default period
# (models.DEFAULT_YEARS); then the text fields below are cleared and `date_fields` emptied, keeping
# role, training level, memberships and dates the returns count. A member may also ask for erasure
# sooner (a partnership administrator erases with a reason). Both write an `erase` audit row.
REGISTER_RECORDS: tuple[Source, ...] = (
    Source("rj.Member", "", ("name", "organisation", "school", "availability"), "rj_register_members"),
)
REGISTER_DATE_FIELDS: dict[str, tuple[str, ...]] = {"rj.Member": ("dbs_checked_on",)}
