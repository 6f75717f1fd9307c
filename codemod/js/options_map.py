"""Option and field tables: init options (§3.9.1, §3.9.2) and event options (§5.2, `EVPROPS`).

Each mapper reads an object literal and returns Mixpanel key/value source pairs plus notes
for what it dropped; a value it cannot read statically is dropped and reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..hosts import amplitude_host, is_eu
from .estree import Node
from .text import Source, key_text, prop_key
from .tracking import map_tracking

EU_HOST = "https://api-eu.mixpanel.com"
NODE_EU_HOST = "api-eu.mixpanel.com"


@dataclass
class Mapped:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str | None, str]] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    after: list[tuple[str, Node]] = field(default_factory=list)  # (kind, value): identify/register
    instance: str | None = None
    tracking: dict[str, Node] = field(default_factory=dict)  # defaultTracking / autocapture
    problem: str | None = None  # set when the object cannot be mapped at all


def _literal(node: Node) -> object:
    if node["type"] == "Literal":
        return node["value"]
    if node["type"] == "UnaryExpression" and node["operator"] == "!" and node["argument"][
        "type"
    ] == "Literal":
        return not node["argument"]["value"]
    return _Unknown


class _Unknown:
    """Marker for a value that is not a literal."""


def _debug_level(node: Node) -> bool:
    if node["type"] == "MemberExpression":
        prop = node["property"]
        return prop.get("name") in ("Debug", "Verbose")
    value = _literal(node)
    return value in (3, 4, "INFO", "DEBUG")


def browser_config(src: Source, opts: Node | None, eu: bool) -> Mapped:
    """MAPCFG (§3.9.1): amplitude-js config / BrowserOptions -> mixpanel-browser Config."""
    out = _map_options(src, opts, _browser_option, ("api_host", EU_HOST) if eu else None)
    if out.tracking:
        tracking = map_tracking(src, out.tracking)
        out.pairs += tracking.pairs
        out.notes += tracking.notes
        out.caveats.append("ID025")
    return out


def node_config(src: Source, opts: Node | None, eu: bool) -> Mapped:
    """MAPCFG_NODE (§3.9.2): NodeOptions -> `Mixpanel.init` config."""
    return _map_options(src, opts, _node_option, ("host", NODE_EU_HOST) if eu else None)


def _map_options(
    src: Source,
    opts: Node | None,
    option: Callable[[Source, str, Node, Mapped], None],
    eu_host: tuple[str, str] | None,
) -> Mapped:
    """Map an init options literal key by key; `eu_host` adds the EU host unless mapped."""
    out = Mapped()
    if opts is not None and opts["type"] != "ObjectExpression":
        out.problem = "the init options are not an object literal the tool can map"
        return out
    for prop in (opts or {"properties": []})["properties"]:
        key = prop_key(prop)
        if key is None:
            out.problem = "the init options use a spread or computed key"
            return out
        option(src, key, prop["value"], out)
    if eu_host is not None and not any(k == eu_host[0] for k, _ in out.pairs):
        out.pairs.append((eu_host[0], src.string(eu_host[1])))
        out.caveats.append("ID022")
    return out


def _drop(out: Mapped, key: str, caveat: str | None, why: str = "no Mixpanel equivalent") -> None:
    out.notes.append((caveat, f"init option {key} dropped: {why}"))


def _browser_option(src: Source, key: str, value: Node, out: Mapped) -> None:
    v = _literal(value)
    text = src.of(value)
    if key == "serverZone":
        if v == "EU":
            out.pairs.append(("api_host", src.string(EU_HOST)))
            out.caveats.append("ID022")
        elif v != "US":
            _drop(out, key, "ID022", "not a literal zone")
    elif key in ("serverUrl", "apiEndpoint"):
        _server_url(src, key, value, out, "api_host", EU_HOST)
    elif key == "optOut":
        out.pairs.append(("opt_out_tracking_by_default", text))
        out.caveats.append("ID019")
    elif key == "logLevel":
        if _debug_level(value):
            out.pairs.append(("debug", "true"))
    elif key == "userId":
        out.after.append(("identify", value))
    elif key in ("deviceId", "deviceIdFromUrlParam"):
        _drop(out, key, "ID005", "Mixpanel's web SDK cannot set a device id")
    elif key in ("identityStorage", "storage"):
        if v == "localStorage":
            out.pairs.append(("persistence", src.string("localStorage")))
        elif v == "none":
            out.pairs.append(("disable_persistence", "true"))
        else:
            _drop(out, key, None, "only cookie, localStorage and none exist in Mixpanel")
    elif key == "disableCookies" and v is True:
        out.pairs.append(("disable_persistence", "true"))
    elif key in ("domain",):
        out.pairs.append(("cookie_domain", text))
    elif key == "secureCookie":
        out.pairs.append(("secure_cookie", text))
    elif key == "cookieExpiration":
        out.pairs.append(("cookie_expiration", text))
    elif key == "sameSiteCookie":
        if v == "None":
            out.pairs.append(("cross_site_cookie", "true"))
    elif key == "cookieOptions" and value["type"] == "ObjectExpression":
        names = {"domain": "cookie_domain", "secure": "secure_cookie",
                 "expiration": "cookie_expiration"}
        for inner in value["properties"]:
            name = prop_key(inner)
            if name in names:
                out.pairs.append((names[name], src.of(inner["value"])))
            elif name == "sameSite" and _literal(inner["value"]) == "None":
                out.pairs.append(("cross_site_cookie", "true"))
            else:
                _drop(out, f"cookieOptions.{name}", None)
    elif key in ("flushQueueSize", "eventUploadThreshold", "uploadBatchSize"):
        out.pairs.append(("batch_size", text))
    elif key in ("flushIntervalMillis", "eventUploadPeriodMillis"):
        out.pairs.append(("batch_flush_interval_ms", text))
    elif key == "transport":
        if v == "beacon":
            out.pairs.append(("api_transport", src.string("sendBeacon")))
    elif key == "trackingOptions" and value["type"] == "ObjectExpression":
        for inner in value["properties"]:
            if prop_key(inner) in ("ipAddress", "ip_address") and _literal(inner["value"]) is False:
                out.pairs.append(("ip", "false"))
                out.caveats.append("ID024")
    elif key in ("defaultTracking", "autocapture"):
        out.tracking[key] = value
    elif key in ("includeReferrer", "includeUtm"):
        if v is not False:
            out.caveats.append("ID025")
    elif key in ("sessionTimeout", "sessionId"):
        _drop(out, key, "ID017", "sessions are a Mixpanel project setting")
    elif key == "instanceName":
        name = v if isinstance(v, str) else None
        out.instance = name.lower() if name is not None else "?"
    elif key == "appVersion":
        out.after.append(("register", value))
    else:
        _drop(out, key, None)


def _server_url(src: Source, key: str, value: Node, out: Mapped, name: str, eu: str) -> None:
    """An Amplitude host is never a Mixpanel host: its EU one becomes Mixpanel's EU host, the
    others are dropped; anything else is a proxy, kept with what it must now forward."""
    url = _literal(value)
    host = amplitude_host(url)
    if host is not None and is_eu(host):
        out.pairs.append((name, src.string(eu)))
        out.caveats.append("ID022")
        out.notes.append(("ID022", f"init option {key}: {src.of(value)} is Amplitude's EU "
                          f"endpoint: {name} is Mixpanel's EU host instead"))
    elif host is not None:
        out.notes.append((None, f"init option {key} dropped: {src.of(value)} is Amplitude's own "
                          "endpoint, and Mixpanel sends to its own host"))
    elif not isinstance(url, str):
        out.pairs.append((name, src.of(value)))
        out.notes.append((None, f"init option {key}: {src.of(value)} is kept as {name}; check it "
                          "is a proxy, not Amplitude's endpoint (every event would go to "
                          "Amplitude and be lost), and that it forwards Mixpanel's paths "
                          "(/track/, /engage/, /groups/, /decide/) to api.mixpanel.com"))
    else:
        out.pairs.append((name, src.of(value)))
        out.notes.append((None, f"init option {key}: {src.of(value)} is kept as {name}, a proxy: "
                          "Mixpanel appends its own paths to it (/track/, /engage/, /groups/, "
                          "/decide/) and sends form-encoded batches, not Amplitude's "
                          "/2/httpapi JSON; point the proxy's routes at api.mixpanel.com (or "
                          "api-eu.mixpanel.com) before deploying"))


def _node_option(src: Source, key: str, value: Node, out: Mapped) -> None:
    if key == "serverUrl" and amplitude_host(_literal(value)) is not None:
        _server_url(src, key, value, out, "host", NODE_EU_HOST)
    elif key == "serverUrl":
        _drop(out, key, None, f"{src.of(value)} is a proxy: Mixpanel's Node client takes its "
              "host, protocol and path apart; set them by hand and point the proxy at "
              "api.mixpanel.com")
    elif key == "serverZone" and _literal(value) == "EU":
        out.pairs.append(("host", src.string(NODE_EU_HOST)))
        out.caveats.append("ID022")
    elif key == "serverZone" and _literal(value) == "US":
        return
    elif key == "logLevel":
        if _debug_level(value):
            out.pairs.append(("debug", "true"))
    elif key == "optOut":
        _drop(out, key, "ID019", "a server must skip the calls itself")
    else:
        _drop(out, key, "ID023" if key.startswith("flush") or key == "useBatch" else None)


def legacy_node_config(src: Source, opts: Node | None, eu: bool) -> Mapped:
    """MAPCFG_LN (legacy-sdks §1.5): the 1.x Node `Options` -> `Mixpanel.init` config."""
    return _map_options(src, opts, _legacy_node_option, ("host", NODE_EU_HOST) if eu else None)


def _legacy_node_option(src: Source, key: str, value: Node, out: Mapped) -> None:
    if key == "serverUrl" and amplitude_host(_literal(value)) is not None:
        _server_url(src, key, value, out, "host", NODE_EU_HOST)
    elif key == "serverUrl":
        out.problem = "serverUrl is a proxy URL: split it into Mixpanel's host, protocol and path by hand"
    elif key == "debug":
        if _literal(value) is True:
            out.pairs.append(("debug", "true"))
    elif key == "logLevel":
        level = _literal(value)
        member = value["property"].get("name") if value["type"] == "MemberExpression" else None
        if level in (1, 2, 3) or member in ("Error", "Warn", "Verbose"):
            out.pairs.append(("debug", "true"))
        elif not (level == 0 or member == "None"):
            out.problem = "logLevel is not a literal level"
    elif key == "optOut":
        out.problem = "optOut: Mixpanel Node has no opt-out; skip the calls in the code (ID019)"
    elif key == "minIdLength":
        _drop(out, key, "ID021", "Mixpanel has no minimum id length")
    else:
        _drop(out, key, "ID023")


def community_config(src: Source, opts: Node | None, eu: bool) -> Mapped:
    """MAPCFG_NA (legacy-sdks §4.3): the community package's constructor options."""
    return _map_options(src, opts, _community_option, ("host", NODE_EU_HOST) if eu else None)


_COMMUNITY_HOSTS = ("https://api.amplitude.com", "https://api2.amplitude.com")


def _community_option(src: Source, key: str, value: Node, out: Mapped) -> None:
    endpoint = _literal(value)
    if key == "tokenEndpoint" and endpoint == "https://api.eu.amplitude.com":
        out.pairs.append(("host", src.string(NODE_EU_HOST)))
        out.caveats.append("ID022")
    elif key == "tokenEndpoint" and endpoint in _COMMUNITY_HOSTS:
        return
    elif key == "tokenEndpoint":
        out.problem = "tokenEndpoint is a proxy or computed: set Mixpanel's host, protocol and path by hand"
    elif key == "secretKey":
        _drop(out, key, "ID010", "only the export and query calls used it")
    else:  # userId, deviceId, sessionId: defaults Amplitude filled into every event
        out.problem = (f"the constructor option {key} filled every event Amplitude sent: put it "
                       "into each event by hand")


# §5.2: Amplitude event option -> Mixpanel property.
EVENT_FIELDS = {
    "time": "time", "insert_id": "$insert_id", "ip": "ip", "app_version": "$app_version_string",
    "version_name": "$app_version_string", "platform": "platform", "os_name": "$os",
    "os_version": "$os_version", "device_brand": "$brand", "device_manufacturer": "$manufacturer",
    "device_model": "$model", "carrier": "$carrier", "country": "country", "region": "$region",
    "city": "$city", "dma": "dma", "language": "language", "location_lat": "$latitude",
    "location_lng": "$longitude", "idfa": "idfa", "idfv": "idfv", "adid": "adid",
    "android_id": "android_id", "android_app_set_id": "android_app_set_id", "price": "price",
    "quantity": "quantity", "revenue": "revenue", "productId": "product_id",
    "revenueType": "revenue_type", "currency": "currency", "event_id": "event_id",
    "session_id": "session_id", "user_agent": "user_agent",
}
FIELD_CAVEATS = {"time": "ID014", "insert_id": "ID015", "ip": "ID024", "country": "ID024",
                 "city": "ID024", "region": "ID024", "location_lat": "ID024",
                 "location_lng": "ID024", "session_id": "ID017"}
DROPPED_FIELDS = ("plan", "ingestion_metadata", "partner_id", "library", "extra", "delay")


def event_props(src: Source, props: list[Node], skip: tuple[str, ...] = ()) -> Mapped:
    """EVPROPS: event-option properties -> Mixpanel event properties."""
    out = Mapped()
    for prop in props:
        key = prop_key(prop)
        if key is None:
            out.problem = "the event options use a spread or computed key"
            return out
        if key in skip:
            continue
        value = prop["value"]
        if key == "session_id" and _literal(value) == -1:
            continue
        if key in EVENT_FIELDS:
            out.pairs.append((key_text(EVENT_FIELDS[key]), src.of(value)))
            if key in FIELD_CAVEATS:
                out.caveats.append(FIELD_CAVEATS[key])
        elif key in DROPPED_FIELDS:
            out.notes.append((None, f"event option {key} dropped: no Mixpanel equivalent"))
        else:
            out.problem = f"event option {key} has no mapping the tool knows"
            return out
    return out
