"""What a migrated Ampli wrapper keeps of `amplitude-analytics`, without `amplitude-analytics`.

The generated event classes subclass the SDK's `BaseEvent`, `IdentifyEvent` and
`GroupIdentifyEvent`, take `EventOptions`, and the generated `DEFAULT_CONFIGURATION` is a
`Config(plan=Plan(...))`. Everything between the two marker comments is copied, byte for
byte, into the wrapper in place of its `from amplitude import ...` line, so the typed API and
every `ampli.<event>()` call keep working while the project no longer imports Amplitude (its
manifest can then swap the package; see `manifests.py`). It is importable here so that it is
type-checked and tested like the rest of the tool.

The classes keep only what the generated wrapper and its callers use: attributes set by
keyword, `options["user_id"] = ...`, `event.load_event_options(options)`. The helpers apply
what the Amplitude SDK did to an event before sending it (spec §5.2): `None` values are not
sent, enum members are sent by value, the event options become Mixpanel properties, and an
event property named like a key Mixpanel writes is renamed `amp_<key>`.
"""

# The copy runs on the user's Python (3.6 and newer for generated Ampli code): no
# annotations that would be evaluated at definition time on an old interpreter.
# --- amp2mp ampli runtime: begin ---
# Stand-ins for the amplitude-analytics classes the generated code builds on (added by
# amp2mp-codemod): the event classes below keep their shape, and send through Mixpanel.
_AMP2MP_OPTION_PROPERTIES = {
    "time": "time", "insert_id": "$insert_id", "ip": "ip", "app_version": "$app_version_string",
    "version_name": "$app_version_string", "platform": "platform", "os_name": "$os",
    "os_version": "$os_version", "device_brand": "$brand", "device_manufacturer": "$manufacturer",
    "device_model": "$model", "carrier": "$carrier", "country": "country", "region": "$region",
    "city": "$city", "dma": "dma", "language": "language", "location_lat": "$latitude",
    "location_lng": "$longitude", "idfa": "idfa", "idfv": "idfv", "adid": "adid",
    "android_id": "android_id", "price": "price", "quantity": "quantity", "revenue": "revenue",
    "product_id": "product_id", "revenue_type": "revenue_type", "currency": "currency",
    "event_id": "event_id", "session_id": "session_id", "user_agent": "user_agent",
}
_AMP2MP_RESERVED = {"time", "distinct_id", "token", "ip", "$insert_id", "$user_id", "$device_id",
                    "$os", "mp_lib", "$lib_version"}


class Plan:
    def __init__(self, **fields):
        self.__dict__.update(fields)


class Config:
    def __init__(self, server_zone="US", **settings):
        self.server_zone = server_zone
        self.__dict__.update(settings)


class EventOptions:
    def __init__(self, **options):
        self.user_id = None
        self.device_id = None
        self.__dict__.update(options)

    def __getitem__(self, key):
        return getattr(self, key, None)

    def __setitem__(self, key, value):
        setattr(self, key, value)

    def __contains__(self, key):
        return getattr(self, key, None) is not None

    def load_event_options(self, event_options):
        if not event_options:
            return
        for key in ("user_id", "device_id", *_AMP2MP_OPTION_PROPERTIES):
            value = getattr(event_options, key, None)
            if value is not None:
                setattr(self, key, value)


class BaseEvent(EventOptions):
    def __init__(self, event_type, event_properties=None, user_properties=None, groups=None,
                 group_properties=None, **options):
        super().__init__(**options)
        self.event_type = event_type
        self.event_properties = event_properties
        self.user_properties = user_properties
        self.groups = groups
        self.group_properties = group_properties


class IdentifyEvent(BaseEvent):
    def __init__(self, **fields):
        super().__init__("$identify", **fields)


class GroupIdentifyEvent(BaseEvent):
    def __init__(self, **fields):
        super().__init__("$groupidentify", **fields)


def amp2mp_sent(properties):
    """The properties Amplitude would have sent: no None values, enum members by value."""
    import enum

    return {key: value.value if isinstance(value, enum.Enum) else value
            for key, value in (properties or {}).items() if value is not None}


def amp2mp_distinct_id(event):
    """The user id, else the device-derived id; None when Amplitude sent nothing."""
    if event["user_id"]:
        return event["user_id"]
    if event["device_id"]:
        return "$device:" + str(event["device_id"])
    import logging

    logging.getLogger(__name__).error("Invalid event: neither user_id nor device_id is set")
    return None


def amp2mp_event_properties(event):
    """Event properties, group keys and event options, named as Mixpanel names them."""
    properties = {("amp_" + key if key in _AMP2MP_RESERVED else key): value
                  for key, value in amp2mp_sent(event.event_properties).items()}
    properties.update(amp2mp_sent(event.groups))
    for option, name in _AMP2MP_OPTION_PROPERTIES.items():
        if event[option] is not None:
            properties[name] = event[option]
    if event["user_id"]:
        properties["$user_id"] = event["user_id"]
    if event["device_id"]:
        properties["$device_id"] = event["device_id"]
    return properties
# --- amp2mp ampli runtime: end ---

BEGIN = "# --- amp2mp ampli runtime: begin ---"
END = "# --- amp2mp ampli runtime: end ---"
# What the block defines that the generated code imported from `amplitude`.
DEFINED = frozenset({"Plan", "Config", "EventOptions", "BaseEvent", "IdentifyEvent",
                     "GroupIdentifyEvent"})


def runtime_source() -> str:
    """The block copied into a migrated wrapper, markers included."""
    import os

    with open(os.path.abspath(__file__), encoding="utf-8") as handle:
        text = handle.read()
    begin = text.index(BEGIN)
    end = text.index(END)
    return text[begin:end] + END + "\n"
