"""The plumbing of a generated Python Ampli wrapper: the shape Ampli writes, and its Mixpanel body.

`GENERATED` is what Ampli's `python-ampli` runtime writes for each method of `class Ampli`
that touches the SDK, written here in the same structure (the docstrings, the log messages
and the annotations are not part of the shape: `ampli.py` compares the rest). A method that
differs is hand-edited, and the wrapper is then left to the normal rules.

`MIXPANEL` is each method's new body, under the method's own `def` line and docstring. The
bodies use the helpers `ampli_runtime.py` adds to the wrapper, `{token}` is the run's token
expression, and `{indent}` the wrapper's indentation unit.
"""

from __future__ import annotations

GENERATED: dict[str, str] = {
    "__init__": '''
def __init__(self):
    self.client: Amplitude = None
    self.disabled: bool = False
''',
    "load": '''
def load(self, options=None):
    if not options:
        options = LoadOptions()
    self.disabled = options.disabled
    if self.client:
        logging.getLogger(__name__).warning('')
        return
    if not options.client:
        options.client = LoadClientOptions(configuration=DEFAULT_CONFIGURATION)
    api_key = None
    if options.client.api_key:
        api_key = options.client.api_key
    elif options.environment:
        api_key = API_KEY[options.environment]
    if not (api_key or options.client.instance):
        logging.getLogger(__name__).error('')
        return
    configuration = options.client.configuration or DEFAULT_CONFIGURATION
    self.client = options.client.instance or Amplitude(api_key=api_key, configuration=configuration)
    if not self.client.configuration.plan:
        self.client.configuration.plan = DEFAULT_CONFIGURATION.plan
''',
    "track": '''
def track(self, user_id, event, event_options=None):
    if not self.initialized_and_enabled():
        return
    if not event_options:
        event_options = EventOptions()
    if user_id:
        event_options["user_id"] = user_id
    event.load_event_options(event_options)
    self.client.track(event)
''',
    "identify": '''
def identify(self, user_id, event, event_options=None):
    if not self.initialized_and_enabled():
        return
    self.track(user_id, event, event_options)
''',
    "group_identify": '''
def group_identify(self, group_type, group_name, event, event_options=None):
    if not self.initialized_and_enabled():
        return
    event.groups = {group_type: group_name}
    self.track(None, event, event_options)
''',
    "set_group": '''
def set_group(self, user_id, group_type, group_name, event_options=None):
    if not self.initialized_and_enabled():
        return
    if not event_options:
        event_options = EventOptions()
    if user_id:
        event_options["user_id"] = user_id
    self.client.set_group(group_type, group_name, event_options)
''',
    "flush": '''
def flush(self):
    if not self.initialized_and_enabled():
        return []
    return self.client.flush()
''',
    "shutdown": '''
def shutdown(self):
    if not self.initialized_and_enabled():
        return
    self.client.shutdown()
    self.disabled = True
''',
}

# Every generated wrapper has these; `set_group` and `group_identify` only with a group plan.
REQUIRED = ("__init__", "load", "track", "identify", "flush", "shutdown")

# The options, in order, shared by `track`, `identify` and `set_group`.
_OPTIONS = '''if not self.initialized_and_enabled():
    return
if not event_options:
    event_options = EventOptions()
if user_id:
    event_options["user_id"] = user_id
'''

MIXPANEL: dict[str, str] = {
    "__init__": '''self.client: Optional[Mixpanel] = None
self.disabled: bool = False
''',
    "load": '''if not options:
    options = LoadOptions()
self.disabled = options.disabled

if self.client:
    logging.getLogger(__name__).warning('Warning: Ampli is already initialized. '
                                        'ampli.load() should be called once at application start up.')
    return

if not options.client:
    options.client = LoadClientOptions(configuration=DEFAULT_CONFIGURATION)

# The Mixpanel project token: API_KEY holds Mixpanel token expressions, and a
# LoadClientOptions(api_key=...) must now be given the Mixpanel token.
token = None
if options.client.api_key:
    token = options.client.api_key
elif options.environment:
    token = API_KEY[options.environment]
if not (token or options.client.instance):
    logging.getLogger(__name__).error(
        "ampli.load() requires 'environment', 'client.api_key', or 'client.instance'")
    return

configuration = options.client.configuration or DEFAULT_CONFIGURATION
consumer = None
if configuration.server_zone == "EU":
    consumer = Consumer(api_host="api-eu.mixpanel.com")
self.client = options.client.instance or Mixpanel(token, consumer=consumer)
''',
    "track": _OPTIONS + '''event.load_event_options(event_options)
distinct_id = amp2mp_distinct_id(event)
if distinct_id is not None:
    self.client.track(distinct_id, event.event_type, amp2mp_event_properties(event))
''',
    "identify": _OPTIONS + '''event.load_event_options(event_options)
distinct_id = amp2mp_distinct_id(event)
properties = amp2mp_sent(event.user_properties)
if distinct_id is not None and properties:
    self.client.people_set(distinct_id, properties)
''',
    "group_identify": '''if not self.initialized_and_enabled():
    return
properties = amp2mp_sent(event.group_properties)
if properties:
    self.client.group_set(group_type, group_name, properties)
''',
    "set_group": _OPTIONS + '''distinct_id = amp2mp_distinct_id(event_options)
if distinct_id is not None:
    names = group_name if isinstance(group_name, list) else [group_name]
    self.client.people_set(distinct_id, {group_type: names})
''',
    "flush": '''# Mixpanel's Consumer sends each call at once: there is no buffer to flush.
if not self.initialized_and_enabled():
    return []
return []
''',
    "shutdown": '''# Mixpanel's Consumer holds nothing to send: shutting down only disables the wrapper.
if not self.initialized_and_enabled():
    return
self.disabled = True
''',
}

# The slug of the rule each rewritten method reports under (rules/python/AY*.toml).
SLUG_OF = {
    "__init__": "ampli-load", "load": "ampli-load", "track": "ampli-track",
    "identify": "ampli-identify", "group_identify": "ampli-groups", "set_group": "ampli-groups",
    "flush": "ampli-flush-shutdown", "shutdown": "ampli-flush-shutdown",
}
