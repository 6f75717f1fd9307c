"""Run a Python scenario twice: as written (real `amplitude-analytics`) and as migrated (real `mixpanel`).

Capture goes through each SDK's own extension point (spec §6), never through a fake client:

* Amplitude: `Amplitude.__init__` builds its destination from the module global
  `amplitude.client.AmplitudeDestinationPlugin`; for the run that name is bound to a
  `DestinationPlugin` subclass that runs the destination timeline and the SDK's own
  `verify_event` exactly as the real destination does, then keeps `event.get_event_body()` (the
  wire dict) instead of queueing it for the HTTP workers.
* Mixpanel: `Mixpanel.__init__` uses `consumer or Consumer(...)`, and `BufferedConsumer` builds
  its inner `Consumer` the same way, so for the run `mixpanel.Consumer` is bound to a class
  with the consumer interface (`send(endpoint, json_message, ...)`) that keeps the messages.
  This is the least invasive real path: the migrated source is executed byte for byte as the
  tool wrote it (default token expression `os.environ["MIXPANEL_TOKEN"]`, set for the run), and
  every Mixpanel code path above the consumer (default properties, JSON serialisation,
  buffering) is the library's own.

Each captured message is tagged with the statement of the scenario that sent it (walking the
stack to the scenario's frame); migrated lines are mapped back to original lines with a line
diff, so a caveat declared on an original line can be located on both sides.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import mixpanel
from amplitude import DestinationPlugin
from amplitude.exception import InvalidEventError
from amplitude.plugin import verify_event

from canonical import Record, Window, amplitude_records, mixpanel_records

MARKER = re.compile(r"#\s*(differs:\s*(?P<caveat>ID\d{3})|(?P<manual>manual))\s*$")
BUG = re.compile(r"^#\s*rule bug:\s*(?P<text>.+)$")


@dataclass
class Scenario:
    """A scenario file: Amplitude source plus per-line declarations in trailing comments.

    `# rule bug: <what>` on its own line: a known rule bug this scenario exposes; the test is a
    strict expected failure until the rule is fixed (then it passes, and the strict xfail
    fails until the declaration is removed).
    `# differs: IDnnn` on a line: the data sent from that statement is documented to differ
    (caveat IDnnn), and the tool must report IDnnn on that line. `# manual` on a line: the
    tool must leave the line untouched and report it as manual; such scenarios are checked
    statically only, because the un-migrated call cannot run against Mixpanel.
    """

    path: Path
    source: str
    differs: dict[int, str] = field(default_factory=dict)
    manual: list[int] = field(default_factory=list)
    bug: str = ""


def load_scenario(path: Path) -> Scenario:
    source = path.read_text()
    scenario = Scenario(path, source)
    for number, line in enumerate(source.splitlines(), start=1):
        match = MARKER.search(line)
        bug = BUG.match(line.strip())
        if bug:
            scenario.bug = bug["text"]
        elif match and match["caveat"]:
            scenario.differs[number] = match["caveat"]
        elif match:
            scenario.manual.append(number)
    return scenario


def statement_spans(source: str) -> list[tuple[int, int]]:
    """Line spans of every statement, innermost first when sorted by length."""
    spans = [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(ast.parse(source)) if isinstance(node, ast.stmt)
    ]
    return sorted(spans, key=lambda span: span[1] - span[0])


def statement_of(spans: list[tuple[int, int]], line: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= line <= end:
            return start, end
    return line, line


def line_map(original: str, migrated: str, changes: tuple[Any, ...] = ()) -> dict[int, frozenset[int]]:
    """Migrated line -> the original lines it came from.

    The tool's own `Change` records (original line, before, after) are located in the output in
    order, so each rewritten call maps to exactly the statement it replaced; the remaining
    lines are aligned with a line diff (a replaced hunk maps to all of its original lines).
    """
    a, b = original.splitlines(), migrated.splitlines()
    mapping: dict[int, frozenset[int]] = {}
    matcher = difflib.SequenceMatcher(None, [x.strip() for x in a], [x.strip() for x in b],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            if tag == "equal":
                mapping[j + 1] = frozenset({i1 + (j - j1) + 1})
            else:
                mapping[j + 1] = frozenset(range(i1 + 1, max(i2, i1 + 1) + 1))
    stripped = [x.strip() for x in b]
    cursor = 0
    for change in changes:
        after = [x.strip() for x in change.after.splitlines()]
        if not after or change.after == "(deleted)":
            continue
        first = change.line
        span = frozenset(range(first, first + change.before.count("\n") + 1))
        for j in range(cursor, len(stripped) - len(after) + 1):
            window = stripped[j:j + len(after)]
            if (after[0] in window[0] and window[1:-1] == after[1:-1]
                    and (len(after) == 1 or window[-1].startswith(after[-1]))):
                for k in range(j, j + len(after)):
                    mapping[k + 1] = span
                cursor = j + len(after)
                break
    return mapping


def scenario_line(filename: str) -> int:
    """The line of the innermost frame executing `filename` (the statement that sent)."""
    frame = inspect.currentframe()
    while frame is not None:
        if frame.f_code.co_filename == filename:
            return frame.f_lineno
        frame = frame.f_back
    return 0


class AmplitudeCapture(DestinationPlugin):
    """The spec §1.5 destination: the real destination's work, minus the network queue."""

    sink: ClassVar[list[tuple[dict[str, Any], int]]]
    filename: ClassVar[str]
    zones: ClassVar[list[str]]

    def setup(self, client: Any) -> None:
        super().setup(client)
        self.zones.append(client.configuration.server_zone)

    def execute(self, event: Any) -> None:
        event = self.timeline.process(event)
        if not verify_event(event):  # what AmplitudeDestinationPlugin.execute does first
            raise InvalidEventError("Invalid event.")
        self.sink.append((event.get_event_body(), scenario_line(self.filename)))

    def flush(self) -> None:
        return None


class ListConsumer:
    """A Mixpanel consumer (spec §2.3) that keeps each message; accepts any constructor args."""

    sink: ClassVar[list[tuple[str, dict[str, Any], int]]]
    filename: ClassVar[str]
    created: ClassVar[list[dict[str, Any]]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.created.append(kwargs)

    def send(self, endpoint: str, json_message: str, api_key: Any = None, api_secret: Any = None) -> None:
        line = scenario_line(self.filename)
        decoded = json.loads(json_message)
        for message in decoded if isinstance(decoded, list) else [decoded]:
            self.sink.append((endpoint, message, line))


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class AmplitudeRun:
    records: list[Record]
    zones: list[str]

    @property
    def mixpanel_hosts(self) -> set[str]:
        """§3.9.3 / ID022: the Mixpanel host each client's server zone maps to."""
        return {"api-eu.mixpanel.com" if zone == "EU" else "api.mixpanel.com" for zone in self.zones}


@contextmanager
def _importable(folder: Path | None) -> Iterator[None]:
    """A scenario that is an application beside its own modules (an Ampli wrapper package):
    `folder` is importable while it runs, and what it imported is forgotten afterwards, so
    the original and the migrated run each import their own copy."""
    if folder is None:
        yield
        return
    before = set(sys.modules)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for name in set(sys.modules) - before:
            module = sys.modules[name]
            if str(getattr(module, "__file__", "") or "").startswith(str(folder)):
                del sys.modules[name]


def run_amplitude(scenario: Scenario, revenue_event: str = "Revenue",
                  folder: Path | None = None) -> AmplitudeRun:
    """Execute the original scenario with the real Amplitude SDK; canonical records in send order."""
    filename = str(scenario.path)
    capture = type("Capture", (AmplitudeCapture,), {"sink": [], "filename": filename, "zones": []})
    spans = statement_spans(scenario.source)
    start = time.time()
    with mock.patch("amplitude.client.AmplitudeDestinationPlugin", capture), _importable(folder):
        exec(compile(scenario.source, filename, "exec"), {"__name__": "scenario_original"})
    window = Window(start, time.time())
    records: list[Record] = []
    for body, line in capture.sink:
        first, last = statement_of(spans, line)
        records.extend(amplitude_records(body, window, revenue_event, frozenset(range(first, last + 1))))
    return AmplitudeRun(records, capture.zones)


@dataclass
class MixpanelRun:
    records: list[Record]
    consumers: list[dict[str, Any]]

    @property
    def hosts(self) -> set[str]:
        return {consumer.get("api_host") or "api.mixpanel.com" for consumer in self.consumers}


def run_mixpanel(scenario: Scenario, migrated: str, changes: tuple[Any, ...] = (),
                 folder: Path | None = None) -> MixpanelRun:
    """Execute the tool's output with the real Mixpanel SDK; canonical records in send order."""
    filename = f"{scenario.path}::migrated"
    consumer = type("Consumer", (ListConsumer,), {"sink": [], "filename": filename, "created": []})
    spans = statement_spans(migrated)
    mapping = line_map(scenario.source, migrated, changes)
    start = time.time()
    with mock.patch.object(mixpanel, "Consumer", consumer), _environment(
        MIXPANEL_TOKEN="TEST_TOKEN"
    ), _importable(folder):
        exec(compile(migrated, filename, "exec"), {"__name__": "scenario_migrated"})
    window = Window(start, time.time())
    records: list[Record] = []
    for endpoint, message, line in consumer.sink:
        first, last = statement_of(spans, line)
        lines = frozenset().union(*(mapping.get(n, frozenset()) for n in range(first, last + 1)))
        records.extend(mixpanel_records(endpoint, message, window, lines))
    return MixpanelRun(records, consumer.created)
