"""Issuing a big pack in the background, through the task worker (`make worker`).

A pack whose sections read more source rows than REPORT_BACKGROUND_ROWS is marked as being
issued by the request, which returns at once; the worker builds and keeps it. On failure
the pack is a draft again and its page says why.
"""

from django.contrib.auth import get_user_model
from django_tasks import task

from saferhub.boardpack import actions
from saferhub.boardpack.models import BoardPack, PackStatus


@task()
def issue_board_pack(pack_id: int, user_id: int) -> str:
    pack = BoardPack.objects.select_related("partnership").get(pk=pack_id)
    if pack.status != PackStatus.ISSUING:
        return pack.status  # delivered twice: already done
    user = get_user_model().objects.get(pk=user_id)
    try:
        actions.complete_issue(user, pack)
    except Exception as exc:
        actions.fail_issue(
            pack, f"The pack could not be issued ({type(exc).__name__}: {exc}). Try again, or ask for help."
        )
        raise
    return PackStatus.ISSUED
