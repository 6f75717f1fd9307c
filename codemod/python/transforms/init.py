"""The client (spec AP01): `Amplitude(api_key, Config(...))` (row `amplitude-client`) becomes
`Mixpanel(token, consumer=...)`, mapping the few `Config` fields a consumer can express
(spec §3.9.3); a `Config(callback=...)` is left for a human (row `callbacks-and-plans`)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import libcst as cst

from ...hosts import amplitude_host, is_eu
from ..keys import site_token
from .base import TRANSFORMS, ManualSite, Outcome, Site, TransformsCore, Unsupported, bind, manual

CONFIG_PARAMS = [
    "api_key", "flush_queue_size", "flush_interval_millis", "flush_max_retries", "logger",
    "min_id_length", "callback", "server_zone", "use_batch", "server_url", "storage_provider",
    "plan", "ingestion_metadata", "event_log_level",
]

# The consumer argument that sends to Mixpanel's EU residency host (ID022).
EU_API_HOST = 'api_host="api-eu.mixpanel.com"'


class InitTransforms(TransformsCore):
    @TRANSFORMS.register("init")
    def init(self, site: Site) -> Outcome:
        outcome = Outcome(rule=self.row("amplitude-client"), severity="review", caveats=["ID010"])
        consumer = None
        consumer_args: list[str] = []
        try:
            fields = bind(site.call, ["api_key", "configuration"])
            config = fields.get("configuration")
            if config is not None:
                config_call, consumed = self.resolve_value(config, site, "Config")
                outcome.consumed_statements.extend(consumed)
                consumer, consumer_args = self.config(config_call, outcome)
        except Unsupported as exc:
            return manual(self.row("amplitude-client"), f"the configuration cannot be mapped: {exc}", "ID010")
        except ManualSite as exc:
            return exc.outcome
        if self.options.eu and not any(arg.startswith("api_host=") for arg in consumer_args):
            consumer = consumer or "Consumer"
            consumer_args.append(EU_API_HOST)
            outcome.caveats.append("ID022")
        token = site_token(self.a, fields.get("api_key"), self.options.token,
                           self.options.token_explicit)
        outcome.notes.insert(0, ("ID010", token.note))
        args = [token.expression]
        outcome.imports.add("Mixpanel")
        if token.expression.startswith("os.") and not token.derived:
            outcome.imports.add("os")
        if consumer == "BufferedConsumer":
            self.buffered.add(id(site.call))
        if consumer is not None:
            outcome.imports.add(consumer)
            args.append(f"consumer={self.mixpanel_name}{consumer}({', '.join(consumer_args)})")
        outcome.expression = f"{self.mixpanel_name}Mixpanel({', '.join(args)})"
        # Said at every client: Mixpanel's Consumer sends in the caller's thread and raises
        # (ID023), and sends ip=0, so no event is geolocated (ID024).
        outcome.caveats += ["ID023", "ID024"]
        return outcome

    def config(self, call: cst.Call, outcome: Outcome) -> tuple[str | None, list[str]]:
        """Spec §3.9.3: the few `Config` fields a Mixpanel consumer can express."""
        fields = bind(call, CONFIG_PARAMS)
        consumer: str | None = None
        args: list[str] = []
        for name, node in fields.items():
            code = self.a.code(node)
            if name == "server_zone":
                value = node.evaluated_value if isinstance(node, cst.SimpleString) else None
                if value == "US":
                    continue
                if value != "EU":
                    raise Unsupported(f"server_zone={code} is not a literal 'US' or 'EU'")
                consumer = consumer or "Consumer"
                args.append(EU_API_HOST)
                outcome.caveats.append("ID022")
            elif name == "flush_queue_size":
                consumer = "BufferedConsumer"
                size = (str(min(int(node.value), 50)) if isinstance(node, cst.Integer)
                        else f"min({code}, 50)")
                args.insert(0, f"max_size={size}")
                outcome.caveats.append("ID023")
            elif name == "flush_max_retries":
                consumer = consumer or "Consumer"
                args.append(f"retry_limit={code}")
                outcome.caveats.append("ID023")
            elif name == "callback":
                raise ManualSite(self.row("callbacks-and-plans"),
                                 "Config(callback=...) has no Mixpanel equivalent: "
                                 "Mixpanel raises MixpanelException instead", "ID023")
            elif name == "server_url":
                host = server_url_host(node, outcome)
                if host is not None:
                    consumer = consumer or "Consumer"
                    args.append(f"api_host={host}")
            elif name == "api_key":
                continue
            else:
                outcome.notes.append(
                    ("ID023", f"Config option {name} has no Mixpanel equivalent and was dropped")
                )
        if "ID023" in outcome.caveats or consumer == "BufferedConsumer":
            outcome.notes.append(("ID023", "Mixpanel's consumers send synchronously and raise "
                                  "MixpanelException; BufferedConsumer needs an explicit flush()"))
        return consumer, args


def server_url_host(node: cst.BaseExpression, outcome: Outcome) -> str | None:
    """§3.9.3 `server_url`: the Consumer's `api_host` it becomes (quoted), or None to drop it.

    An Amplitude endpoint is never a Mixpanel host (its EU one becomes Mixpanel's EU host);
    an https proxy keeps its host and path, to which the Consumer appends `/track`,
    `/engage`, `/groups` and `/import`."""
    url = node.evaluated_value if isinstance(node, cst.SimpleString) else None
    if not isinstance(url, str):
        raise Unsupported("server_url is not a literal URL; point a Consumer(api_host=...) at "
                          "Mixpanel or your proxy by hand")
    host = amplitude_host(url)
    if host is not None and is_eu(host):
        outcome.caveats.append("ID022")
        outcome.notes.append(("ID022", f"server_url {url!r} is Amplitude's EU endpoint: the "
                              "Consumer sends to Mixpanel's EU host instead"))
        return '"api-eu.mixpanel.com"'
    if host is not None:
        outcome.notes.append((None, f"Config option server_url dropped: {url!r} is Amplitude's "
                              "own endpoint, and Mixpanel sends to its own host"))
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "") or not (parts.netloc or parts.path):
        raise Unsupported(f"server_url {url!r} is not an https proxy the Consumer can reach "
                          "(it always sends over https); set events_url and the other URLs "
                          "by hand")
    target = (parts.netloc + parts.path).rstrip("/")
    outcome.notes.append((None, f"server_url {url!r} is kept as the Consumer's api_host "
                          f"{target!r}, a proxy: Mixpanel posts form-encoded batches to "
                          f"https://{target}/track, /engage, /groups and /import, not "
                          "Amplitude's /2/httpapi JSON; point those routes at api.mixpanel.com "
                          "(or api-eu.mixpanel.com) before deploying"))
    return json.dumps(target)
