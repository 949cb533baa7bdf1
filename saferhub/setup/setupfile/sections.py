"""Optional tables modules add to the set-up file (e.g. a crime module's `[[crime_groups]]`).

A module registers a `Section` from its ``AppConfig.ready()``: its top-level key, how to check
the table (reporting problems by key path, writing nothing), how to apply what it checked (in
the file's transaction, auditing its own changes and noting them for the terminal) and how to
export it. The set-up file then accepts the key; any other unknown key stays an error.

A section that names agencies (e.g. `[single_sign_on]`'s e-mail domains) sets `knows_agencies`:
its check is then also given `agencies=`, the names (case-folded) of the agencies the file and
the partnership hold, so an agency added by the same file can be named.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from saferhub.accounts.models import Partnership

# problem(key_path, message)
Problem = Callable[[str, str], None]
# note(change_in_words)
Note = Callable[[str], None]


@dataclass(frozen=True)
class Section:
    key: str
    # check(value, partnership or None when new, problem[, agencies=]) -> what apply needs (nothing is written)
    check: Callable[..., Any]
    # apply(checked, partnership, actor, note): inside the file's transaction
    apply: Callable[[Any, Partnership, Any, Note], None]
    # export(partnership) -> the table's value (a list of tables, or a table); empty leaves it out
    export: Callable[[Partnership], Any]
    knows_agencies: bool = False


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing.check is not section.check:
        raise ValueError(f"Set-up file section '{section.key}' is already registered.")
    _SECTIONS[section.key] = section
    return section


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections() -> list[Section]:
    return list(_SECTIONS.values())
