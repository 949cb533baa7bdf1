"""E-mails to commissioned services' provider users, sent by the task worker (`make worker`).

Actions enqueue them once their transaction has committed. An e-mail names the service,
the quarter and the due date, and links to the return: no personal data.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from saferhub.accounts.models import Role, User
from saferhub.governance.models import ProviderReturn

SUBJECTS = {
    "requested": "Please send the {period} return for {service} by {due}",
    "due": "Reminder: the {period} return for {service} is due on {due}",
    "overdue": "Overdue: the {period} return for {service} was due on {due}",
    "returned": "The {period} return for {service} has been returned for changes",
}


def _date(day: object) -> str:
    return f"{day:%-d %B %Y}"


def provider_addresses(provider_return: ProviderReturn) -> list[str]:
    service = provider_return.service
    users = User.objects.filter(
        is_active=True,
        partnership_id=service.partnership_id,
        agency_id=service.agency_id,
        role_assignments__partnership_id=service.partnership_id,
        role_assignments__role=Role.PROVIDER,
    )
    return sorted(set(users.values_list("email", flat=True)))


@task()
def email_provider(return_id: int, reason: str) -> int:
    """E-mail the service's provider users about the return; returns how many were written to."""
    provider_return = ProviderReturn.objects.select_related("service").filter(pk=return_id).first()
    if provider_return is None:
        return 0
    recipients = provider_addresses(provider_return)
    if not recipients:
        return 0
    words = {
        "period": provider_return.period,
        "service": provider_return.service.name,
        "due": _date(provider_return.due_on),
    }
    link = settings.SITE_URL.rstrip("/") + reverse("governance:return", args=[provider_return.pk])
    body = [SUBJECTS[reason].format(**words) + "."]
    if reason == "returned":
        body.append("The partnership's analyst has said what to change on the return's page.")
    body.append(
        "Sign in to Saferhub to enter the KPI figures, the narrative and anonymised case studies, "
        f"then submit the return: {link}"
    )
    body.append("Please do not reply to this e-mail.")
    send_mail(
        subject=SUBJECTS[reason].format(**words),
        message="\n\n".join(body),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
        fail_silently=False,
    )
    return len(recipients)
