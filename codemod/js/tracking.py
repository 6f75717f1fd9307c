"""Automatic tracking (§3.9.1): Amplitude's `defaultTracking`/`autocapture` read value by value.

Amplitude turns each kind of automatic event on or off on its own (`isTrackingEnabled` in
`@amplitude/analytics-browser`'s `default-tracking.js`): a boolean sets every kind, an object
field set to `false` turns that kind off, and a field left out of the object keeps the kind's
default (on for page views, sessions, forms, file downloads and attribution; off for element
and frustration interactions, which only `autocapture` can turn on). mixpanel-browser 2.83 has
`track_pageview`, and an `autocapture` config whose own `pageview` replaces `track_pageview`
as soon as autocapture is on. A field whose value is an expression is carried as that
expression, so the caller's choice still decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .estree import Node
from .text import Source, prop_key

# Amplitude kind -> on when an object leaves it out.
_DEFAULT_ON = {"attribution": True, "pageViews": True, "sessions": True,
               "formInteractions": True, "fileDownloads": True, "pageUrlEnrichment": True,
               "elementInteractions": False, "frustrationInteractions": False,
               "networkTracking": False, "webVitals": False}
# Kinds only the `autocapture` option can turn on (the SDK reads them from it alone).
_AUTOCAPTURE_ONLY = ("elementInteractions", "frustrationInteractions", "networkTracking",
                     "webVitals")
# Amplitude kinds Mixpanel has no event for: what the note says was lost.
_LOST = {
    "sessions": ("ID017", "session start and end events ([Amplitude] Start Session / End "
                 "Session) are not sent: Mixpanel computes sessions from the project's Session "
                 "Settings"),
    "fileDownloads": (None, "file download events ([Amplitude] File Downloaded) are not sent: "
                      "Mixpanel has no file download event"),
    "networkTracking": (None, "network request events ([Amplitude] Network Request) are not "
                        "sent: Mixpanel has no network tracking"),
    "webVitals": (None, "web vitals events ([Amplitude] Web Vitals) are not sent: Mixpanel has "
                  "no web vitals tracking"),
}
_HISTORY = {"all": "full-url", "pathOnly": "url-with-path"}

State = bool | str  # on, off, or the source of an expression that decides at run time


@dataclass
class Tracking:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str | None, str]] = field(default_factory=list)


def _state(src: Source, node: Node | None, default: bool) -> State:
    if node is None:
        return default
    if node["type"] == "Literal" and isinstance(node["value"], bool):
        return bool(node["value"])
    if node["type"] in ("ObjectExpression", "ArrayExpression"):
        return True
    return src.of(node)


def _kinds(src: Source, key: str, value: Node) -> dict[str, State] | None:
    """Each Amplitude kind's state under `key: value`; None when the value is an expression."""
    fields: dict[str, Node] = {}
    if value["type"] == "ObjectExpression":
        for prop in value["properties"]:
            name = prop_key(prop)
            if name is None:
                return None
            fields[name] = prop["value"]
    elif not (value["type"] == "Literal" and isinstance(value["value"], bool)):
        return None
    kinds: dict[str, State] = {}
    for kind, default in _DEFAULT_ON.items():
        if key == "defaultTracking" and kind in _AUTOCAPTURE_ONLY:
            kinds[kind] = False
        elif value["type"] == "Literal":
            kinds[kind] = bool(value["value"])
        else:
            kinds[kind] = _state(src, fields.get(kind), default)
    return kinds


def _js(state: State) -> str:
    return ("true" if state else "false") if isinstance(state, bool) else state


def _pageview(src: Source, value: Node, state: State) -> str:
    """The Mixpanel page-view setting: `trackHistoryChanges` picks the URL changes tracked."""
    pages = _field(value, "pageViews")
    history = _field(pages, "trackHistoryChanges") if pages is not None else None
    if state is True and history is not None and history["type"] == "Literal" and (
            history["value"] in _HISTORY):
        return src.string(_HISTORY[history["value"]])
    return _js(state)


def _field(node: Node | None, name: str) -> Node | None:
    if node is None or node["type"] != "ObjectExpression":
        return None
    return next((p["value"] for p in node["properties"] if prop_key(p) == name), None)


def _dropped_settings(key: str, value: Node) -> list[tuple[str | None, str]]:
    """Notes for what the kind-by-kind mapping leaves behind: kinds Amplitude's version here
    does not know, and the options objects of known kinds (`pageViews: {trackOn}`), whose
    settings are not mapped (`trackHistoryChanges` excepted)."""
    notes: list[tuple[str | None, str]] = []
    if value["type"] != "ObjectExpression":
        return notes
    for prop in value["properties"]:
        kind = prop_key(prop)
        inner = prop["value"]
        if kind not in _DEFAULT_ON:
            notes.append(("ID025", f"{key}.{kind} dropped: not a kind of automatic tracking the "
                          "tool maps"))
        elif inner["type"] == "ObjectExpression":
            names = [n for n in (prop_key(p) for p in inner["properties"])
                     if not (kind == "pageViews" and n == "trackHistoryChanges")]
            if names:
                notes.append(("ID025", f"{key}.{kind} settings dropped "
                              f"({', '.join(map(str, names))}): the tool does not map them; set "
                              "the matching Mixpanel autocapture options (allow_selectors, "
                              "block_selectors, allow_url_regexes, ...) by hand"))
    return notes


def map_tracking(src: Source, options: dict[str, Node]) -> Tracking:
    """`defaultTracking`/`autocapture` (the latter wins, as in the SDK) -> Mixpanel config."""
    out = Tracking()
    key = "autocapture" if "autocapture" in options else "defaultTracking"
    value = options[key]
    kinds = _kinds(src, key, value)
    if kinds is None:
        out.notes.append(("ID025", f"init option {key} dropped: its value {src.of(value)} is "
                          "not a literal the tool can map kind by kind; set Mixpanel's "
                          "track_pageview and autocapture by hand"))
        return out
    if key == "autocapture" and "defaultTracking" in options:
        out.notes.append(("ID025", "init option defaultTracking dropped: autocapture replaces "
                          "it, in Amplitude as in the migrated code"))
    page = _pageview(src, value, kinds["pageViews"])
    capture = {"click": kinds["elementInteractions"], "input": kinds["elementInteractions"],
               "submit": kinds["formInteractions"],
               "rage_click": kinds["frustrationInteractions"],
               "dead_click": kinds["frustrationInteractions"]}
    if all(state is False for state in capture.values()):
        if page != "false":
            out.pairs.append(("track_pageview", page))
    else:
        entries = [("pageview", page), *((k, _js(v)) for k, v in capture.items()),
                   ("scroll", "false")]
        out.pairs.append(("autocapture", "{" + ", ".join(f"{k}: {v}" for k, v in entries) + "}"))
        if kinds["formInteractions"] is not False:
            out.notes.append(("ID025", "form interactions map to Mixpanel's $mp_submit: the "
                              "form start event ([Amplitude] Form Started) is not sent"))
    out.notes += _dropped_settings(key, value)
    for kind, (caveat, why) in _LOST.items():
        if kinds[kind] is not False:
            out.notes.append((caveat, f"{key}: {why}"))
    if kinds["attribution"] is False:
        out.notes.append(("ID025", f"{key}: attribution was off, but Mixpanel still records "
                          "UTM parameters and the referrer on every event (set track_marketing "
                          "to false and save_referrer to false to stop it)"))
    return out
