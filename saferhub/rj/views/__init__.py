"""The restorative justice pages (one URL and view per action)."""

from saferhub.rj.views.cases import (
    action_add,
    action_update,
    approve,
    case,
    consent,
    follow_up,
    index,
    intervention,
    meeting,
    provider,
    provider_outcome,
    refer,
    refer_from_hub,
    screen,
)
from saferhub.rj.views.register import member, member_add, member_edit, member_erase, register, training_add
from saferhub.rj.views.street import street, street_submit

__all__ = [
    "action_add",
    "action_update",
    "approve",
    "case",
    "consent",
    "follow_up",
    "index",
    "intervention",
    "meeting",
    "member",
    "member_add",
    "member_edit",
    "member_erase",
    "provider",
    "provider_outcome",
    "refer",
    "refer_from_hub",
    "register",
    "screen",
    "street",
    "street_submit",
    "training_add",
]
