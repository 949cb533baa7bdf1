"""Codes as people read them, when no label is to hand (prefer the code's own TextChoices or ReferenceCode label)."""

from typing import Any


def label_for_code(code: Any) -> str:
    """A last resort when a code has no label to hand: "ex_partner" -> "Ex partner", "da_marac" ->
    "DA MARAC" (short words of letters only are taken as initials). Prefer the code's own label."""
    text = str(code or "")
    if not text or " " in text or text != text.lower():
        return text
    words = [word for word in text.replace("-", "_").split("_") if word]
    shown = [word.upper() if len(word) <= 3 and word.isalpha() and not _is_word(word) else word for word in words]
    sentence = " ".join(shown)
    return sentence[:1].upper() + sentence[1:]


_SHORT_WORDS = {
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "and",
    "or",
    "the",
    "a",
    "an",
    "for",
    "ex",
    "not",
    "yes",
    "no",
    "new",
}


def _is_word(word: str) -> bool:
    return word in _SHORT_WORDS
