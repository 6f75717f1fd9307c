"""The Mixpanel token expression, derived from the Amplitude key expression it replaces.

A fixed default (`process.env.MIXPANEL_TOKEN`) is `undefined` in most front ends: bundlers only
inline variables with their prefix (`REACT_APP_`, `NEXT_PUBLIC_`, `VITE_` through
`import.meta.env`), and `process` does not exist in a browser at all. The expression being
replaced already shows where this project keeps its configuration, so the token is read the
same way, under the Mixpanel name: `import.meta.env.VITE_AMPLITUDE_API_KEY` becomes
`import.meta.env.VITE_MIXPANEL_TOKEN`, `settings.AMPLITUDE_API_KEY` becomes
`settings.MIXPANEL_TOKEN`. Each language reads its key expression into a `KeyRef`; the
policy (what is derived, what falls back, what the report says) lives here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where environment variables are read: a name there needs no "amplitude" in it to be the key.
ENV_BASES = ("process.env", "import.meta.env", "os.environ", "os.getenv", "os.environ.get",
             "environ", "getenv", "environ.get", "Config")
# Prefixes bundlers and frameworks require for a variable to reach client code.
PREFIXES = ("REACT_APP_", "NEXT_PUBLIC_", "EXPO_PUBLIC_", "VUE_APP_", "VITE_", "NUXT_PUBLIC_",
            "NUXT_", "GATSBY_", "PUBLIC_", "STORYBOOK_")
# Words that, after "amplitude", still name the key: all of them become the token's name.
_KEY_WORDS = {"api", "key", "apikey", "token", "sdk", "write", "project"}
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


@dataclass(frozen=True)
class KeyRef:
    """The Amplitude key expression as its language reads it.

    `kind` is `name` (a name read from something: `base` is the source it is read from, and
    `start`/`end` place the name inside `text`), `parameter` (a parameter of the enclosing
    function), `literal` (a string written in the code) or `other`.
    """

    kind: str
    text: str
    base: str = ""
    start: int = 0
    end: int = 0
    function: str = ""  # for a parameter: the function's name, when it has one

    @property
    def name(self) -> str:
        return self.text[self.start:self.end]


@dataclass(frozen=True)
class Token:
    """The token expression for one site and the report line that goes with it."""

    expression: str
    variable: str | None  # the name the user must now define (None: nothing new to define)
    note: str
    derived: bool  # read the way the key was (False: the configured or built-in default)


def swap_name(name: str) -> str | None:
    """`name` with its Amplitude part replaced by the Mixpanel token's, or None without one.

    The spelling follows the name: `VITE_AMPLITUDE_API_KEY` -> `VITE_MIXPANEL_TOKEN`,
    `amplitudeApiKey` -> `mixpanelToken`, `amplitude_key` -> `mixpanel_token`; words after
    the key's (`_PROD`) stay.
    """
    if "_" in name or name.isupper() or name.islower():
        parts = name.split("_")
        upper = [p.lower() for p in parts]
        join = "_"
    else:
        parts = _WORDS.findall(name)
        if "".join(parts) != name:
            return None
        upper = [p.lower() for p in parts]
        join = ""
    if "amplitude" not in upper:
        return None
    at = upper.index("amplitude")
    # The words up to the last key word name the key (`AMPLITUDE_EU_API_KEY`): the key
    # words become TOKEN, the others stay (`MIXPANEL_EU_TOKEN`); words after it stay too.
    last = max((i for i in range(at + 1, len(upper)) if upper[i] in _KEY_WORDS), default=at)
    middle = [p for p in parts[at + 1:last + 1] if p.lower() not in _KEY_WORDS]
    original = parts[at]
    if original.isupper() and join == "_":
        head, tail = "MIXPANEL", "TOKEN"
    elif original[:1].isupper() or join == "":
        head, tail = ("Mixpanel" if original[:1].isupper() else "mixpanel"), "Token"
    else:
        head, tail = "mixpanel", "token"
    if join == "":
        middle = [p[:1].upper() + p[1:].lower() if p.isupper() else p for p in middle]
    return join.join([*parts[:at], head, *middle, tail, *parts[last + 1:]])


def prefixed_token(name: str) -> str:
    """`MIXPANEL_TOKEN` under the framework prefix `name` carries (`REACT_APP_KEY`)."""
    prefix = next((p for p in PREFIXES if name.startswith(p)), "")
    return f"{prefix}MIXPANEL_TOKEN"


def derive(key: KeyRef) -> Token | None:
    """The token read the way `key` is read, or None when nothing can be derived."""
    if key.kind == "parameter":
        where = f"{key.function}()" if key.function else "this function"
        return Token(key.text, None, f"the Mixpanel token is the parameter {key.text}, as the "
                     f"Amplitude key was: every caller of {where} must now pass the Mixpanel "
                     "project token instead of the Amplitude API key", True)
    if key.kind != "name":
        return None
    name = swap_name(key.name)
    if name is None and key.base in ENV_BASES:
        name = prefixed_token(key.name)
    if name is None:
        return None
    expression = key.text[:key.start] + name + key.text[key.end:]
    return Token(expression, name, f"the Mixpanel token is read from {expression}, the way the "
                 f"Amplitude key was ({key.text}): define {name} with the Mixpanel project "
                 f"token where {key.name} is defined", True)


def fallback(key: KeyRef | None, default: str, variable: str | None, explicit: bool,
             scoped: bool = True) -> Token:
    """The configured token when nothing was derived, with what the report must say.

    `scoped` is False when the key reads names the Mixpanel client cannot see: the client is
    created when the module loads, outside the function the key came from."""
    if explicit:
        return Token(default, None, f"the Mixpanel token is {default}, as configured", False)
    where = f"define {variable} with the Mixpanel project token" if variable else (
        f"replace {default} with the Mixpanel project token")
    if key is not None and not scoped:
        why = (f"the Amplitude key {key.text} is read inside a function, and the Mixpanel "
               "client is created when the module loads, where it is not in scope")
    elif key is None:
        why = "the Amplitude client was created without a key the tool can read"
    elif key.kind == "literal":
        why = f"the Amplitude key {key.text} is written in the code and is no Mixpanel token"
    else:
        why = f"the Amplitude key {key.text} is read in a way the tool cannot carry over"
    return Token(default, variable, f"the Mixpanel token is {default}: {why}; {where}", False)


def token_for(key: KeyRef | None, default: str, variable: str | None, explicit: bool,
              scoped: bool = True) -> Token:
    """The token for one site: the configured one when set explicitly, else one derived from
    the key, else the default (`variable` is the name the default asks the user to define)."""
    if not explicit and key is not None and scoped:
        found = derive(key)
        if found is not None:
            return found
    return fallback(key, default, variable, explicit, scoped)
