"""Reports: who may see the partnership's report builds."""

from typing import Any

from django.db.models import QuerySet

from saferhub.policy.roles import can_view_reports


def visible_report_builds(user: Any) -> QuerySet[Any]:
    """Report builds of the user's partnership, for those who may see its reports; none for anyone else."""
    from saferhub.reporting.models import ReportBuild

    if not can_view_reports(user) or user.partnership_id is None:
        return ReportBuild.objects.none()
    return ReportBuild.objects.filter(partnership_id=user.partnership_id)
