"""Small builders for the Python code the rules emit.

Rewrites are produced as source text and parsed back by libcst, so every helper here returns
text and takes the *original* source text of argument expressions: what the user wrote is
carried over verbatim, comments and quoting included.
"""

from __future__ import annotations

import libcst as cst

# Amplitude `EventOptions` field -> Mixpanel event property (spec §5.2). `None` drops the field.
EVENT_PROPERTY_NAMES: dict[str, str | None] = {
    "time": "time",
    "insert_id": "$insert_id",
    "ip": "ip",
    "app_version": "$app_version_string",
    "version_name": "$app_version_string",
    "platform": "platform",
    "os_name": "$os",
    "os_version": "$os_version",
    "device_brand": "$brand",
    "device_manufacturer": "$manufacturer",
    "device_model": "$model",
    "carrier": "$carrier",
    "country": "country",
    "region": "$region",
    "city": "$city",
    "dma": "dma",
    "language": "language",
    "location_lat": "$latitude",
    "location_lng": "$longitude",
    "idfa": "idfa",
    "idfv": "idfv",
    "adid": "adid",
    "android_id": "android_id",
    "price": "price",
    "quantity": "quantity",
    "revenue": "revenue",
    "product_id": "product_id",
    "revenue_type": "revenue_type",
    "currency": "currency",
    "event_id": "event_id",
    "session_id": "session_id",
    "user_agent": "user_agent",
    "partner_id": None,
}

# Caveats a field raises when it is carried over (spec §3.5 AP04).
FIELD_CAVEATS: dict[str, str] = {
    "time": "ID014",
    "insert_id": "ID015",
    "session_id": "ID017",
    "ip": "ID024",
    "country": "ID024",
    "city": "ID024",
    "region": "ID024",
    "location_lat": "ID024",
    "location_lng": "ID024",
    "price": "ID013",
    "quantity": "ID013",
    "revenue": "ID013",
}

# Fields with no Mixpanel meaning that need a human (spec AP18).
MANUAL_FIELDS = ("callback", "plan", "ingestion_metadata")

# Keys Mixpanel writes itself; an event property with one of these names would be clobbered.
RESERVED_KEYS = frozenset(
    {"time", "distinct_id", "token", "ip", "$insert_id", "$user_id", "$device_id", "$os",
     "mp_lib", "$lib_version"}
)


def is_simple(node: cst.BaseExpression) -> bool:
    """Whether an expression can be written twice without changing what the program does."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Attribute):
        return is_simple(node.value)
    if isinstance(node, cst.Subscript):
        return is_simple(node.value) and all(
            isinstance(element.slice, cst.Index) and is_simple(element.slice.value)
            for element in node.slice
        )
    if isinstance(node, cst.UnaryOperation):
        return is_simple(node.expression)
    return False


def is_string_literal(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def is_none(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def device_distinct_id(device: str) -> str:
    """`"$device:" + device` as an f-string whose quotes do not clash with the expression."""
    if "\\" in device or ("'" in device and '"' in device):
        return f'"$device:" + str({device})'
    quote = "'" if '"' in device else '"'
    return f"f{quote}$device:{{{device}}}{quote}"


def distinct_id(user: str | None, device: str | None) -> str:
    """`DID(u, d)` of spec §0.3: the user id when set, else the device-derived id."""
    if user and device:
        return f"{user} if {user} else {device_distinct_id(device)}"
    if user:
        return user
    assert device is not None
    return device_distinct_id(device)


def identity_entries(user: str | None, device: str | None, guarded: bool) -> list[str]:
    """`IDPROPS(u, d)` as dict entries; guarded when a missing id must not be sent as None."""
    entries = []
    for key, value in (("$user_id", user), ("$device_id", device)):
        if value is None:
            continue
        if guarded:
            entries.append(f'**({{"{key}": {value}}} if {value} else {{}})')
        else:
            entries.append(f'"{key}": {value}')
    return entries


def dict_text(entries: list[str]) -> str:
    return "{" + ", ".join(entries) + "}"


def merged_properties(base: str | None, entries: list[str], never_none: bool = False) -> str:
    """Spec §3.0 properties merge: splice into a literal, else `{**(P or {}), ...}`.

    `never_none`: P is already `X or {}`, which needs no second `or {}`.
    """
    if base is None:
        return dict_text(entries)
    if not entries:
        return base
    return dict_text([f"**({base})" if never_none else f"**({base} or {{}})", *entries])


def splice_dict(node: cst.Dict, code: str, entries: list[str]) -> str:
    """Add entries to a dict literal, keeping the literal's own text and layout.

    A one-line literal gets the entries before its closing brace; an exploded literal with a
    trailing comma gets one line per entry at its elements' indentation; anything else (an
    exploded literal without a trailing comma, where a comment may sit after the last value)
    is unpacked whole, `{**{...}, ...}`, so no byte of it moves.
    """
    if not entries:
        return code
    if not node.elements:
        return dict_text(entries)
    if "\n" not in code:
        inner = code[1:-1].rstrip()
        if not inner.endswith(","):
            inner += ","
        return "{" + inner + " " + ", ".join(entries) + "}"
    head, _, last_line = code.rpartition("\n")
    last = node.elements[-1]
    if last_line.strip() == "}" and isinstance(last.comma, cst.Comma):
        body_lines = [line for line in head.splitlines() if line.strip()]
        indent = body_lines[-1][: len(body_lines[-1]) - len(body_lines[-1].lstrip())]
        added = "".join(f"\n{indent}{entry}," for entry in entries)
        return head + added + "\n" + last_line
    return dict_text([f"**{code}", *entries])


def literal_keys(node: cst.Dict) -> list[str]:
    """String keys of a dict literal, as Python values, for collision checks."""
    keys = []
    for element in node.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            value = element.key.evaluated_value
            if isinstance(value, str):
                keys.append(value)
    return keys


def call_text(func: str, args: list[str], indent: str, unit: str, limit: int = 88) -> str:
    """A call on one line, or black's exploded layout when the line would be too long."""
    one_line = f"{func}({', '.join(args)})"
    if len(indent) + len(one_line) <= limit or not args:
        return one_line
    inner = indent + unit
    return f"{func}(\n" + "".join(f"{inner}{_reindent(arg, len(inner))},\n" for arg in args) + f"{indent})"


def _reindent(text: str, column: int) -> str:
    """Shift an exploded argument so its closing line sits at `column`.

    Arguments keep their own relative layout; only whole lines move, and never when a
    triple-quoted string could span them (its content would change).
    """
    lines = text.split("\n")
    if len(lines) == 1 or '"""' in text or "'''" in text:
        return text
    last = lines[-1]
    shift = column - (len(last) - len(last.lstrip(" ")))
    rest = []
    for line in lines[1:]:
        if shift >= 0:
            rest.append(" " * shift + line if line.strip() else line)
        else:
            cut = min(-shift, len(line) - len(line.lstrip(" ")))
            rest.append(line[cut:])
    return "\n".join([lines[0], *rest])
