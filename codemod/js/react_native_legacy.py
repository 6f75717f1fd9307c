"""Transforms for the legacy React Native SDK and Expo's module (legacy-sdks §2, §3).

Both migrate to mixpanel-react-native, whose `init()` and `identify()` return Promises while
`track()`, `reset()`, `setGroup()` and the people calls return nothing. So an awaited init or
identify keeps its `await` (the code after it still waits for the same thing), and the value
of a call that now returns nothing is reported unless it is only returned or chained with
`.then`/`.catch`. Each transform picks its row among the SDK's rules by slug, so the row ids
live in the rule files only.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from ..catalogue import Rule
from ..transform_table import Transform
from .bindings import member_name
from .estree import Node
from .expand import _chain, resolve
from .options_map import EU_HOST
from .outcome import Outcome, Site, manual
from .text import is_nullish, is_stringish, obj, prop_key, spread
from .transforms import TRANSFORMS

if TYPE_CHECKING:
    from .transforms import Transforms

US_HOST = "https://api.mixpanel.com"
# Settings with one Mixpanel setter: the call in place of each method (`{0}`: its argument),
# or None when Mixpanel has no such switch.
_SETTINGS: dict[str, str | None] = {
    "enableCoppaControl": "setUseIpAddressForGeolocation(false)",
    "disableCoppaControl": "setUseIpAddressForGeolocation(true)",
    "setServerUrl": "setServerURL({0})",
    "setEventUploadThreshold": "setFlushBatchSize({0})",
    "setEventUploadMaxBatchSize": "setFlushBatchSize({0})",
    "setEventUploadPeriodMillis": None,
}
# Expo tracking options (legacy-sdks §3.3): Mixpanel derives these from the IP address...
_IP_OPTIONS = ("disableIPAddress", "disableCity", "disableCountry", "disableRegion", "disableDMA",
               "disableLatLng")
# ...and always sends these device properties.
_DEVICE_OPTIONS = ("disableCarrier", "disableDeviceBrand", "disableDeviceManufacturer",
                   "disableDeviceModel", "disableIDFV", "disableAdid", "disableLanguage",
                   "disableOSName", "disableOSVersion", "disablePlatform", "disableVersionName")
_REVENUE = {"price": "price", "quantity": "quantity", "productId": "product_id",
            "revenueType": "revenue_type", "receipt": "receipt", "receiptSignature": "receipt_sig"}


def _outcome(rule: Rule, *caveats: str, **fields) -> Outcome:
    severity = "info" if rule.safety == "safe" else "review"
    return Outcome(rule.id, severity, list(dict.fromkeys([*rule.caveats, *caveats])), **fields)


def _row(t: Transforms, site: Site, *slugs: str) -> Rule:
    """The family's rule for the first of `slugs` it has."""
    return t._pick(site.family, *slugs)


def _named(t: Transforms, site: Site) -> Outcome | None:
    """`Amplitude.getInstance('name')`: a second instance is left to a human (LR02)."""
    if site.client.instance is None:
        return None
    rule = _row(t, site, "named-instance")
    return manual(rule.id, "a named Amplitude instance: create a second shared "
                  "`new Mixpanel(TOKEN2, false)` for it by hand and move its calls there",
                  *rule.caveats[:1])


def _default_instance(transform: Transform) -> Transform:
    """Calls on a named instance are reported (LR02) before the transform looks at them."""

    @wraps(transform)
    def checked(t: Transforms, site: Site, rule: Rule) -> Outcome | None:
        named = _named(t, site)
        return named if named is not None else transform(t, site, rule)

    return checked


def _keeps_await(site: Site, text: str) -> tuple[str, bool]:
    """`await mixpanel.x()` where the original awaited a call that forms its statement: the
    Mixpanel call returns a Promise too, so the code after it keeps waiting."""
    if site.awaited and site.statement is not None:
        return f"await {text}", True
    return text, False


def _void(t: Transforms, site: Site, rule: Rule, text: str, *caveats: str,
          notes: list[tuple[str | None, str]] | None = None) -> Outcome:
    """The rewrite of a call whose Mixpanel counterpart returns nothing (LR05, EX13)."""
    notes = list(notes or [])
    if site.statement is not None:
        return _outcome(rule, *caveats, expression=text, notes=notes)
    used = _row(t, site, "value-used")
    parent = t.m.parent(site.wrapper)
    returned = parent is not None and not site.awaited and (
        parent["type"] == "ReturnStatement"
        or (parent["type"] == "ArrowFunctionExpression" and parent["body"] is site.wrapper))
    if returned:
        notes.append((None, f"{used.id}: the returned Promise is gone: Mixpanel's call returns "
                      "undefined, so a caller that waits on it or reads its boolean must change"))
        return _outcome(rule, *caveats, expression=text, notes=notes)
    tail = _promise_tail(t, site)
    if tail is not None:
        notes.append((None, f"{used.id}: the .then/.catch chained on the call was dropped: "
                      "Mixpanel's call returns nothing; move what the callbacks did after it"))
        return _outcome(rule, *caveats, expression=text, notes=notes, edits=[(tail, "")])
    return manual(used.id, f"the result of {site.method}() is used (awaited, assigned or "
                  "tested): its Mixpanel counterpart returns nothing; migrate this by hand")


def _promise_tail(t: Transforms, site: Site) -> Node | None:
    """The `.then(...)`/`.catch(...)` text after the call when those chained calls form the
    whole statement: a span the rewrite deletes."""
    current = site.call
    while True:
        member = t.m.parent(current)
        call = t.m.parent(member) if member is not None else None
        if not (member and member["type"] == "MemberExpression" and member["object"] is current
                and member_name(member) in ("then", "catch", "finally")
                and call and call["type"] == "CallExpression" and call["callee"] is member):
            break
        current = call
    holder = t.m.parent(current)
    if current is site.call or holder is None or holder["type"] != "ExpressionStatement":
        return None
    return {"type": "PromiseTail", "range": [site.call["range"][1], current["range"][1]]}


# --- init ----------------------------------------------------------------------------------
@TRANSFORMS.register("rn_init")
@_default_instance
def rn_init(t: Transforms, site: Site, rule: Rule) -> Outcome:
    """LR01, EX01: the module-level `new Mixpanel(TOKEN, false)` is the instance; the init
    call site becomes `mixpanel.init()`, once per module."""
    args = site.call["arguments"]
    if len(args) != 1:
        return manual(rule.id, f"{site.method}() takes the API key alone", "ID010")
    once = id(t.m.registry.sdks[site.family])  # one Mixpanel instance per module
    server = [f"false, undefined, {t.src.string(EU_HOST)}"] if t.m.options.eu else []
    text, kept = _keeps_await(site, f"{site.mp}.init({''.join(server)})")
    caveats = ["ID022"] if server else []
    notes: list[tuple[str | None, str]] = []
    if site.statement is None:
        notes.append((None, "init()'s Promise is used: Mixpanel's resolves with undefined where "
                      "Amplitude's resolved with a boolean"))
    if _platform_guard(t, site.call):
        notes.append(("ID027", "init() runs under a Platform.OS guard: Amplitude's module "
                      "failed on web, mixpanel-react-native's JavaScript mode runs there too, so "
                      "the guard may stay or go"))
    if not _waited_for(t, site):
        notes.append(("ID027", "init() is not awaited: in mixpanel-react-native's JavaScript "
                      "mode (Expo Go, web, tests) calls made before its Promise resolves send "
                      "events without a distinct id, lose profile updates and make identify() "
                      "reject; await init() before the first call"))
    return _outcome(rule, *caveats, expression=text, awaits=kept, initialises=once, notes=notes)


def _platform_guard(t: Transforms, node: Node) -> bool:
    """Whether an `if` testing `Platform.OS` encloses `node` (`if (Platform.OS !== 'web')`)."""
    current = t.m.parent(node)
    while current is not None:
        if current["type"] in ("IfStatement", "ConditionalExpression") and (
            "Platform.OS" in t.src.of(current["test"])
        ):
            return True
        current = t.m.parent(current)
    return False


def _waited_for(t: Transforms, site: Site) -> bool:
    """Whether code waits for the call's Promise: awaited, returned, or chained with `.then`
    (whose callbacks run after it) or `.catch` that is itself awaited or returned."""
    if site.awaited:
        return True
    current = site.call
    chained = False
    while True:
        member = t.m.parent(current)
        call = t.m.parent(member) if member is not None else None
        if not (member and member["type"] == "MemberExpression" and member["object"] is current
                and call and call["type"] == "CallExpression" and call["callee"] is member):
            break
        chained = chained or member_name(member) == "then"
        current = call
    holder = t.m.parent(current)
    return chained or (holder is not None and holder["type"] in (
        "AwaitExpression", "ReturnStatement", "ArrowFunctionExpression"))


# --- track ---------------------------------------------------------------------------------
@TRANSFORMS.register("rn_track")
@_default_instance
def rn_track(t: Transforms, site: Site, rule: Rule) -> Outcome:
    """LR03-LR05, EX02, EX03: `logEvent(E, P, extra)` becomes `track(E, P)`."""
    args = site.call["arguments"]
    if not args or len(args) > 3 or any(a["type"] == "SpreadElement" for a in args):
        return manual(rule.id, f"{site.method}() without an event name, or with arguments the "
                      "tool cannot count")
    notes: list[tuple[str | None, str]] = []
    row = rule
    if len(args) == 3:
        row = _row(t, site, "track-extra")
        notes.append((None, "the third argument only reached Amplitude middleware; it was dropped"))
    kept = args[:2]
    if len(kept) == 2 and is_nullish(kept[1]):
        kept = kept[:1]
    unsure = len(kept) == 2 and kept[1]["type"] != "ObjectExpression"
    if unsure:
        notes.append((None, "mixpanel-react-native's track() throws when the properties are not "
                      "an object: check what this value can be"))
    outcome = _void(t, site, row, f"{site.mp}.track({t.src.args(kept)})", notes=notes)
    if unsure and not outcome.manual:
        outcome.severity = "review"  # a safe row, made review by a value of unknown type
    return outcome


# --- identity ------------------------------------------------------------------------------
@TRANSFORMS.register("rn_set_user_id")
@_default_instance
def rn_set_user_id(t: Transforms, site: Site, rule: Rule) -> Outcome:
    """LR06-LR09, EX04-EX06: a user id identifies, null resets, a variable does either."""
    args = site.call["arguments"]
    mp = site.mp
    if len(args) != 1:
        return manual(rule.id, f"{site.method}() with {len(args)} arguments", "ID002")
    user = args[0]
    if is_nullish(user):
        pair = t._regenerate_next(site) if t.family_rule(site.family, "logout-pair") else None
        if pair is not None:
            return _outcome(_row(t, site, "logout-pair"), statements=[f"{mp}.reset()"],
                            consumed=[pair])
        return _void(t, site, _row(t, site, "set-user-id-null"), f"{mp}.reset()")
    if is_stringish(user):
        text, kept = _keeps_await(site, f"{mp}.identify({t.src.of(user)})")
        return _outcome(rule, expression=text, awaits=kept)
    row = _row(t, site, "set-user-id-variable")
    if user["type"] not in ("Identifier", "MemberExpression") or site.statement is None:
        return manual(row.id, "the user id is computed or the result is used: it must be tested "
                      "once (identify() for an id, reset() for null), so migrate this by hand",
                      *row.caveats[:1])
    value = t.src.of(user)
    identify, kept = _keeps_await(site, f"{mp}.identify({value})")
    return _outcome(row, expression=f"{value} ? {identify} : {mp}.reset()", awaits=kept)


@TRANSFORMS.register("rn_identify")
@_default_instance
def rn_identify(t: Transforms, site: Site, rule: Rule) -> Outcome | None:
    """LR13, LR14: an Identify built statement by statement becomes people calls; a chained
    one threw in the SDK (each operation returns undefined) and is reported, not fixed."""
    args = site.call["arguments"]
    problem = _builder_problem(t, site, args[0] if args else None)
    if problem is not None:
        return problem
    return TRANSFORMS.run("identify", t, site, rule)


@TRANSFORMS.register("rn_group_identify")
@_default_instance
def rn_group_identify(t: Transforms, site: Site, rule: Rule) -> Outcome | None:
    """LR18: group profile updates through getGroup(), which addresses one group (ID026)."""
    args = site.call["arguments"]
    problem = _builder_problem(t, site, args[2] if len(args) > 2 else None)
    if problem is not None:
        return problem
    return TRANSFORMS.run("group_identify", t, site, rule)


def _builder_problem(t: Transforms, site: Site, arg: Node | None) -> Outcome | None:
    """Why the Identify `arg` is not a statement-built one the rows replay, if it is not."""
    if arg is None:
        return None
    root = arg
    if arg["type"] == "Identifier":
        decl = t.m.b.scopes.resolve(arg)
        root = (decl.node.get("init") if decl is not None and decl.kind in (
            "const", "let", "var") else None) or arg
    found = _chain(t.m, root, "Identify")
    if found is not None and found[1] and found[0]["type"] == "NewExpression":
        rule = _row(t, site, "identify-chained")
        return manual(rule.id, "the Identify operations are chained: each returns undefined in "
                      "the legacy React Native SDK, so this threw a TypeError; build it statement "
                      "by statement, then migrate it", "ID012")
    builder = resolve(t.m, arg, "Identify", site.statement, site.block)
    keys: dict[str, str] = {}
    for op, op_args in builder.ops if builder is not None else []:
        key = t.src.of(op_args[0]) if op_args else ""
        if key in keys:
            return manual(_row(t, site, "identify-expansion").id, f"the property {key} is set by "
                          f"{keys[key]}() and {op}(): the native SDKs resolve this differently, so "
                          "decide which operation wins", "ID012")
        keys[key] = op
    return None


# --- groups --------------------------------------------------------------------------------
@TRANSFORMS.register("rn_set_group")
@_default_instance
def rn_set_group(t: Transforms, site: Site, rule: Rule) -> Outcome:
    """LR16, LR17, EX09-EX11: one name is `setGroup`, more are `setGroup` then `addGroup`."""
    args = site.call["arguments"]
    if len(args) != 2:
        return manual(rule.id, f"{site.method}() with {len(args)} arguments", "ID011")
    kind, names = args
    key = t.src.of(kind)
    mp = site.mp
    if is_stringish(names):
        return _void(t, site, rule, f"{mp}.setGroup({key}, {t.src.of(names)})")
    elements = names.get("elements") if names["type"] == "ArrayExpression" else None
    if not elements or any(e is None or e["type"] == "SpreadElement" for e in elements):
        unresolved = _row(t, site, "set-group-unresolved", "set-group-array")
        return manual(unresolved.id, "the group names are not an array literal: "
                      "mixpanel-react-native's setGroup() would nest an array in an array",
                      "ID011")
    if len(elements) == 1:
        return _void(t, site, rule, f"{mp}.setGroup({key}, {t.src.of(elements[0])})")
    calls = [f"{mp}.setGroup({key}, {t.src.of(elements[0])})"] + [
        f"{mp}.addGroup({key}, {t.src.of(e)})" for e in elements[1:]]
    return _outcome(_row(t, site, "set-group-array"), statements=calls)


# --- revenue -------------------------------------------------------------------------------
@TRANSFORMS.register("rn_log_revenue")
@_default_instance
def rn_log_revenue(t: Transforms, site: Site, rule: Rule) -> Outcome:
    """LR19: `logRevenue({price, quantity, ...})` becomes a revenue event."""
    args = site.call["arguments"]
    if len(args) != 1 or args[0]["type"] != "ObjectExpression":
        return manual(rule.id, "logRevenue() without an object literal", "ID013")
    values: dict[str, Node] = {}
    extra: list[tuple[str, str]] = []
    for prop in args[0]["properties"]:
        key = prop_key(prop)
        if key == "eventProperties":
            extra += spread(t.src, prop["value"])
        elif key in _REVENUE:
            values[key] = prop["value"]
        else:
            return manual(rule.id, f"logRevenue() field {key or '(computed)'} has no mapping",
                          "ID013")
    if "price" not in values:
        return manual(rule.id, "logRevenue() without a price", "ID013")
    price = t.src.operand(values["price"])
    pairs = [("price", t.src.of(values["price"]))]
    total = price
    if "quantity" in values:
        pairs.append(("quantity", t.src.of(values["quantity"])))
        total += f" * {t.src.operand(values['quantity'])}"
    pairs.append(("revenue", total))
    pairs += [(_REVENUE[k], t.src.of(v)) for k, v in values.items() if k not in ("price", "quantity")]
    notes: list[tuple[str | None, str]] = (
        [("ID013", "Mixpanel does not verify receipts")] if "receipt" in values else [])
    event = t.src.string(t.m.options.revenue_event)
    return _void(t, site, rule, f"{site.mp}.track({event}, {obj(pairs + extra)})", notes=notes)


# --- settings ------------------------------------------------------------------------------
@TRANSFORMS.register("rn_setting")
@_default_instance
def rn_setting(t: Transforms, site: Site, rule: Rule) -> Outcome:
    """LR23-LR25: SDK settings with a mixpanel-react-native setter of their own."""
    args = site.call["arguments"]
    if site.method == "setServerZone":
        zone = args[0].get("value") if args and args[0]["type"] == "Literal" else None
        if zone not in ("EU", "US") or len(args) > 2:
            return manual(rule.id, "setServerZone() without a literal 'EU' or 'US'", "ID022")
        host = EU_HOST if zone == "EU" else US_HOST
        return _void(t, site, rule, f"{site.mp}.setServerURL({t.src.string(host)})")
    setter = _SETTINGS.get(site.method)
    if setter is None:
        return manual(rule.id, f"{site.method}() has no mixpanel-react-native setter (it flushes "
                      "on its own timer)")
    arity = 1 if "{0}" in setter else 0
    if len(args) != arity or any(a["type"] == "SpreadElement" for a in args):
        return manual(rule.id, f"{site.method}() with {len(args)} arguments")
    return _void(t, site, rule, f"{site.mp}." + setter.format(*(t.src.of(a) for a in args)))


@TRANSFORMS.register("rn_tracking_options")
def rn_tracking_options(t: Transforms, site: Site, rule: Rule) -> Outcome:
    """EX12 (§3.3): IP-derived location options become one geolocation switch; device
    property options have no Mixpanel switch."""
    args = site.call["arguments"]
    if len(args) != 1 or args[0]["type"] != "ObjectExpression":
        return manual(rule.id, "the tracking options are not an object literal", "ID025")
    disabled: list[str] = []
    for prop in args[0]["properties"]:
        key = prop_key(prop)
        value = prop.get("value")
        if key is None or value is None or value["type"] != "Literal" or not isinstance(
            value["value"], bool
        ) or key not in (*_IP_OPTIONS, *_DEVICE_OPTIONS):
            return manual(rule.id, f"tracking option {key or '(computed)'} is not a literal "
                          "true/false the tool knows", "ID025")
        if value["value"]:
            disabled.append(key)
    device = [k for k in disabled if k in _DEVICE_OPTIONS]
    if device:
        return manual(rule.id, f"{', '.join(device)}: mixpanel-react-native always sends these "
                      "device properties and has no switch for them", "ID025")
    if not disabled:
        if site.statement is None:
            return manual(rule.id, "the result of setting no tracking option is used", "ID025")
        return _outcome(rule, statements=[])
    return _void(t, site, rule, f"{site.mp}.setUseIpAddressForGeolocation(false)")
