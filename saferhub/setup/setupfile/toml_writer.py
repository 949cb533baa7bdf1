"""A small TOML writer for the set-up file's shape, laid out as docs/setup.md shows it.

General writers inline short arrays of tables and spread every list over many lines; a set-up
file is read and edited by people, so this one writes `[table]`, `[[array]]` and indented
`[[array.sub]]` tables, lists of plain values on one line, and text with line breaks as a
multi-line string. Output is deterministic: keys in the order given. The tests read every
output back with `tomllib`.
"""

from typing import Any

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _escape(text: str, *, keep_newlines: bool = False) -> str:
    out = []
    for ch in text:
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _key(name: str) -> str:
    if name and all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in name):
        return name
    return f'"{_escape(name)}"'


def value(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, str):
        if "\n" in item:
            # The newline after the opening quotes is dropped by readers.
            return '"""\n' + _escape(item, keep_newlines=True) + '"""'
        return f'"{_escape(item)}"'
    if isinstance(item, list):
        return "[" + ", ".join(value(element) for element in item) + "]"
    raise TypeError(f"cannot write {type(item).__name__} in a set-up file")


def _is_tables(item: Any) -> bool:
    return isinstance(item, list) and bool(item) and all(isinstance(element, dict) for element in item)


def _body(table: dict[str, Any], indent: str) -> list[str]:
    return [
        f"{indent}{_key(k)} = {value(v)}" for k, v in table.items() if not isinstance(v, dict) and not _is_tables(v)
    ]


def dumps(data: dict[str, Any]) -> str:
    """Top level: tables and arrays of tables (one level of nested arrays, indented by two spaces)."""
    blocks: list[str] = []
    plain = _body(data, "")
    if plain:
        blocks.append("\n".join(plain))
    for name, item in data.items():
        if isinstance(item, dict):
            lines = [f"[{_key(name)}]", *_body(item, "")]
            blocks.append("\n".join(lines))
        elif _is_tables(item):
            for element in item:
                lines = [f"[[{_key(name)}]]", *_body(element, "")]
                for sub_name, sub in element.items():
                    if isinstance(sub, dict):
                        raise TypeError("nested tables are not part of the set-up file")
                    if _is_tables(sub):
                        for sub_element in sub:
                            lines += ["", f"  [[{_key(name)}.{_key(sub_name)}]]", *_body(sub_element, "  ")]
                blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
