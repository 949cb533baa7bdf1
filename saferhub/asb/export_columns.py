"""The columns of the ASB lists' downloads (saferhub.core.exports): codes in CSV, labels in XLSX."""

from saferhub.core import exports

ASB_CASE_COLUMNS = [
    exports.field("reference", "Reference"),
    exports.field("title", "Title"),
    exports.field("category", "Category", "asb__category"),
    exports.field("ward", "Ward", "asb__ward__name"),
    exports.field("status", "Status"),
    exports.field("risk_level", "Risk level"),
    exports.field("assigned_to", "Assigned to", "assigned_to__full_name"),
    exports.field("opened_on", "Opened"),
]

INTERVENTION_COLUMNS = [
    exports.field("number", "Number", "pk"),
    exports.field("case", "Case", "case__reference"),
    exports.field("kind", "Tool or power"),
    exports.field("person", "Served on", "person__display_name"),
    exports.field("served_on_name", "Business or occupier"),
    exports.field("served_on", "Served"),
    exports.field("expires_on", "Expires"),
    exports.field("review_on", "Review"),
    exports.field("status", "Status"),
]

FPN_COLUMNS = [
    exports.field("number", "Number", "pk"),
    exports.field("case", "Case", "case__reference"),
    exports.field("offence", "Offence"),
    exports.field("person", "Served on", "person__display_name"),
    exports.field("served_on_name", "Business or occupier"),
    exports.field("served_on", "Served"),
    exports.computed(
        "amount_pence",
        "Amount (£)",
        lambda f: f.amount_pence,
        lambda f: None if f.amount_pence is None else f.amount_pence / 100,
    ),
    exports.field("paid_on", "Paid"),
    exports.field("escalated_to_prosecution", "Escalated to prosecution"),
    exports.field("issuing_team", "Issuing team", "issuing_team__name"),
    exports.field("status", "Status"),
]

CASE_REVIEW_COLUMNS = [
    exports.field("reference", "Reference"),
    exports.field("applied_on", "Applied"),
    exports.field("channel", "Channel"),
    exports.field("status", "Status"),
    exports.field("applicant_name", "Applicant"),
    exports.field("case", "Case", "case__reference"),
    exports.field("threshold_met", "Threshold met"),
    exports.field("review_held_on", "Review held"),
    exports.field("outcome_sent_on", "Outcome sent"),
]
