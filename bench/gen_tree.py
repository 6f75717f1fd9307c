#!/usr/bin/env python3
"""Deterministic generator of a synthetic but realistic source tree.

Copied unchanged (apart from this note) from the project's shared benchmark
(`shared/bench/gen_tree.py`), where the peer measurements in issue 7 were taken, so that
the project's own benchmark generates byte-identical trees for the same seed.

Writes a monorepo-shaped tree of JavaScript (.js/.jsx), TypeScript (.ts/.tsx)
and Python (.py) files.  A fraction of the files (--amp-ratio) use the
Amplitude analytics SDKs; every Amplitude call site written is recorded in a
ground-truth JSON file next to the tree (never inside it).  The tree also holds
a .gitignore plus ignored vendor folders (node_modules/, .venv/) full of files
that a correct tool skips, and a minimal .git folder so that tools which only
honour .gitignore inside a repository (ripgrep, ast-grep) see one.

Same arguments + same seed => byte-identical tree and truth file.
Python standard library only.

  python3 gen_tree.py --files 2000 --amp-ratio 0.02 --out TREE_DIR
  python3 gen_tree.py --files 20000 --mix js=0.35,ts=0.40,py=0.25 --out TREE_DIR
"""

import argparse
import json
import os
import shutil
import sys
from random import Random

# --------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------
NOUNS = [
    "user", "order", "invoice", "cart", "product", "session", "payment", "account",
    "project", "team", "report", "notification", "subscription", "workspace",
    "document", "comment", "ticket", "shipment", "coupon", "review", "message",
    "channel", "task", "milestone", "dashboard", "widget", "metric", "alert",
    "customer", "vendor", "asset", "booking", "listing", "playlist", "episode",
    "course", "lesson", "quiz", "badge", "profile", "preference", "token",
    "webhook", "integration", "member", "role", "permission", "invitation",
    "folder", "attachment", "label", "release", "build", "deployment", "region",
    "plan", "address", "warehouse", "category", "tag", "device", "schedule",
]
VERBS = [
    "fetch", "load", "create", "update", "remove", "sync", "validate", "normalize",
    "format", "parse", "build", "compute", "resolve", "apply", "merge", "filter",
    "sort", "group", "select", "archive", "restore", "publish", "schedule",
    "notify", "refresh", "submit", "approve", "reject", "assign", "invite",
    "prepare", "serialize", "hydrate", "reconcile", "summarize", "estimate",
    "enqueue", "retry", "export", "upload",
]
ADJS = [
    "active", "pending", "recent", "archived", "visible", "selected", "default",
    "primary", "shared", "draft", "total", "next", "previous", "current", "cached",
    "remote", "local", "filtered", "sorted", "stale", "unread", "expired", "paid",
]
FIELDS = [
    "id", "name", "email", "status", "createdAt", "updatedAt", "ownerId", "total",
    "count", "title", "description", "priority", "tags", "amount", "currency",
    "slug", "url", "kind", "version", "enabled", "score", "dueDate", "items",
    "metadata", "label", "position", "quantity", "price", "locale", "timezone",
]
PAST = [
    "Created", "Updated", "Viewed", "Shared", "Exported", "Deleted", "Archived",
    "Submitted", "Approved", "Opened", "Clicked", "Completed", "Started", "Failed",
    "Renamed", "Downloaded", "Invited", "Upgraded", "Filtered", "Searched",
]
STATUSES = ["idle", "loading", "ready", "error", "pending", "active", "archived",
            "draft", "failed", "queued", "running", "done", "cancelled"]
WORDS = [
    "unable", "to", "load", "the", "requested", "resource", "retrying", "after",
    "timeout", "invalid", "payload", "missing", "field", "for", "request",
    "received", "unexpected", "response", "from", "server", "cache", "miss",
    "skipping", "stale", "entry", "queued", "job", "completed", "with", "errors",
]
UI_COMPONENTS = ["Button", "Card", "Spinner", "Avatar", "Badge", "Modal", "Tooltip",
                 "EmptyState", "Icon", "Stack", "Text", "Heading", "Tabs", "Table",
                 "Menu", "Select", "Checkbox", "Switch", "Alert", "Pagination"]
HTML_TAGS = ["div", "section", "header", "footer", "ul", "li", "span", "p", "aside",
             "nav", "article", "form", "label", "small", "strong"]
JS_LIBS = [
    ("react", "default", "React"),
    ("date-fns", "named", ["format", "formatDistanceToNow", "parseISO", "addDays"]),
    ("axios", "default", "axios"),
    ("lodash-es", "named", ["debounce", "groupBy", "isEqual", "pick", "omit"]),
    ("clsx", "default", "clsx"),
    ("zod", "named", ["z"]),
    ("uuid", "named", ["v4 as uuidv4"]),
    ("@tanstack/react-query", "named", ["useQuery", "useMutation", "useQueryClient"]),
    ("react-router-dom", "named", ["useNavigate", "useParams", "Link"]),
]
PY_STDLIB = [
    "import asyncio", "import json", "import os", "import re", "import time",
    "import uuid", "from collections import defaultdict, Counter",
    "from datetime import datetime, timedelta, timezone",
    "from decimal import Decimal", "from enum import Enum",
    "from functools import lru_cache, partial", "from itertools import chain, islice",
    "from pathlib import Path", "from contextlib import contextmanager",
]
PY_THIRD = [
    "import httpx", "from pydantic import BaseModel, Field",
    "from fastapi import APIRouter, Depends, HTTPException",
    "from sqlalchemy import select", "from sqlalchemy.orm import Session",
    "import structlog", "from celery import shared_task", "import redis",
]


def pick(rng, seq):
    return seq[rng.randrange(len(seq))]


def cap(w):
    return w[:1].upper() + w[1:]


def camel(*parts):
    parts = [p for p in parts if p]
    return parts[0] + "".join(cap(p) for p in parts[1:])


def pascal(*parts):
    return "".join(cap(p) for p in parts if p)


def snake(name):
    out = []
    for ch in name:
        if ch.isupper():
            out.append("_" + ch.lower())
        else:
            out.append(ch)
    return "".join(out).lstrip("_")


def kebab(name):
    return snake(name).replace("_", "-")


def plural(n):
    if n.endswith("y") and n[-2:-1] not in "aeiou":
        return n[:-1] + "ies"
    if n.endswith(("s", "x", "ch", "sh")):
        return n + "es"
    return n + "s"


def event_name(rng, noun=None):
    noun = noun or pick(rng, NOUNS)
    return cap(noun) + " " + pick(rng, PAST)


# --------------------------------------------------------------------------
# blocks of lines that remember where Amplitude call sites are
# --------------------------------------------------------------------------
class Block:
    __slots__ = ("lines", "sites")

    def __init__(self, lines=None):
        self.lines = list(lines or [])
        self.sites = []  # (line index, info dict)

    def add(self, line="", site=None):
        if site is not None:
            self.sites.append((len(self.lines), site))
        self.lines.append(line)

    def add_lines(self, lines, site=None):
        """Append several lines; `site` (if any) starts at the first one."""
        if site is not None:
            site = dict(site)
            site["span"] = len(lines)
            self.sites.append((len(self.lines), site))
        self.lines.extend(lines)

    def extend(self, other, indent=""):
        base = len(self.lines)
        if isinstance(other, Block):
            lines, sites = other.lines, other.sites
        else:
            lines, sites = other, ()
        if indent:
            self.lines.extend((indent + ln) if ln else ln for ln in lines)
        else:
            self.lines.extend(lines)
        for i, s in sites:
            self.sites.append((base + i, s))

    def __len__(self):
        return len(self.lines)


class Scope:
    def __init__(self, rng, vars_=(), lists=(), is_async=False):
        self.rng = rng
        self.vars = list(vars_) or ["data"]
        self.lists = list(lists)
        self.taken = set(self.vars) | set(self.lists)
        self.is_async = is_async
        self.dicts = set()
        self.handlers = ["setState"]

    def fresh(self, base):
        name = base
        i = 2
        while name in self.taken:
            name = f"{base}{i}"
            i += 1
        self.taken.add(name)
        return name

    def child(self):
        s = Scope(self.rng, self.vars, self.lists, self.is_async)
        s.taken = set(self.taken)
        s.dicts = set(self.dicts)
        s.handlers = list(self.handlers)
        return s


# --------------------------------------------------------------------------
# JavaScript / TypeScript
# --------------------------------------------------------------------------
class JsGen:
    """Generates one JS/TS module.  `ts` adds type annotations, `jsx` allows JSX."""

    def __init__(self, rng, ts, jsx, depth_path=2):
        self.r = rng
        self.ts = ts
        self.jsx = jsx
        self.top = set()
        self.noun = pick(rng, NOUNS)
        self.Noun = cap(self.noun)
        self.up = "../" * depth_path
        self.helpers = []
        self.ui = []
        self.types = [self.Noun]
        self.react_used = False

    # ---- names ---------------------------------------------------------
    def uniq(self, name):
        base, i = name, 2
        while name in self.top:
            name = f"{base}{i}"
            i += 1
        self.top.add(name)
        return name

    def ann(self, t):
        return f": {t}" if self.ts else ""

    def ttype(self, simple=False):
        r = self.r
        base = pick(r, self.types) if r.random() < 0.6 else pick(
            r, ["string", "number", "boolean", "Date", "unknown"])
        if simple:
            return base
        x = r.random()
        if x < 0.15:
            return f"{base}[]"
        if x < 0.25:
            return f"{base} | null"
        if x < 0.32:
            return f"Record<string, {base}>"
        if x < 0.38:
            return f"Partial<{base}>"
        if x < 0.42:
            return f"ReadonlyArray<{base}>"
        return base

    # ---- literals / expressions ---------------------------------------
    def strlit(self):
        r = self.r
        x = r.random()
        if x < 0.4:
            return "'" + pick(r, STATUSES) + "'"
        if x < 0.7:
            return "'" + kebab(camel(pick(r, ADJS), pick(r, NOUNS))) + "'"
        return "'" + " ".join(pick(r, WORDS) for _ in range(r.randint(2, 5))) + "'"

    def numlit(self):
        return str(pick(self.r, [0, 1, 2, 10, 25, 50, 100, 250, 1000, 3600, 60_000, 0.5]))

    def literal(self):
        x = self.r.random()
        if x < 0.45:
            return self.strlit()
        if x < 0.75:
            return self.numlit()
        if x < 0.88:
            return pick(self.r, ["true", "false"])
        return pick(self.r, ["null", "undefined", "[]", "{}"])

    def member(self, sc):
        r = self.r
        v = pick(r, sc.vars)
        f = pick(r, FIELDS)
        x = r.random()
        if x < 0.3:
            return f"{v}.{f}"
        if x < 0.6:
            return f"{v}?.{f}"
        if x < 0.8:
            return f"{v}?.{pick(r, FIELDS)}?.{f}"
        return f"{v}.{f}?.{pick(r, ['length', 'trim()', 'toString()', 'valueOf()'])}"

    def call(self, sc):
        r = self.r
        x = r.random()
        if x < 0.3 and self.helpers:
            h = pick(r, self.helpers)
            return f"{h}({self.member(sc)})"
        if x < 0.55:
            return f"{pick(r, sc.vars)}.{camel(pick(r, VERBS), pick(r, NOUNS))}({self.member(sc)})"
        if x < 0.7:
            return f"Object.entries({self.member(sc)} ?? {{}})"
        if x < 0.8:
            return f"Math.max(0, {self.member(sc)} ?? 0)"
        if x < 0.9:
            return f"JSON.stringify({self.member(sc)})"
        return f"String({self.member(sc)}).padStart(2, '0')"

    def expr(self, sc, depth=0):
        r = self.r
        x = r.random()
        if depth > 1:
            x = x * 0.45
        if x < 0.18:
            return self.member(sc)
        if x < 0.3:
            return f"{self.member(sc)} ?? {self.literal()}"
        if x < 0.4:
            return self.literal()
        if x < 0.5:
            return self.call(sc)
        if x < 0.58:
            return f"{self.member(sc)} {pick(r, ['+', '-', '*', '/'])} {self.numlit()}"
        if x < 0.65:
            return f"`{pick(r, WORDS)} ${{{self.member(sc)}}} {pick(r, WORDS)}`"
        if x < 0.72:
            return f"{self.cond(sc)} ? {self.expr(sc, depth + 2)} : {self.literal()}"
        if x < 0.8 and sc.lists:
            lst = pick(r, sc.lists)
            p = "item"
            return f"{lst}.map(({p}) => {p}.{pick(r, FIELDS)})"
        if x < 0.88:
            f1, f2 = pick(r, FIELDS), pick(r, FIELDS)
            if f1 == f2:
                f2 = f2 + "Value"
            return f"{{ {f1}: {self.expr(sc, depth + 2)}, {f2}: {self.member(sc)} }}"
        if x < 0.94:
            return f"new Date({self.member(sc)} ?? Date.now())"
        return f"[{self.member(sc)}, {self.literal()}]"

    def cond(self, sc):
        r = self.r
        x = r.random()
        if x < 0.2:
            return f"!{self.member(sc)}"
        if x < 0.4:
            return f"{self.member(sc)} === {self.strlit()}"
        if x < 0.55 and sc.lists:
            return f"{pick(r, sc.lists)}.length > {pick(r, ['0', '1', 'MAX_ITEMS'])}"
        if x < 0.7:
            return f"{self.member(sc)} && {self.member(sc)} !== {self.literal()}"
        if x < 0.8:
            return f"typeof {self.member(sc)} === 'string'"
        if x < 0.9:
            return f"Array.isArray({self.member(sc)})"
        return f"{self.member(sc)} >= {self.numlit()}"

    # ---- statements ----------------------------------------------------
    def stmts(self, sc, n, depth=0):
        b = Block()
        for _ in range(n):
            b.extend(self.stmt(sc, depth))
        return b

    def stmt(self, sc, depth):
        r = self.r
        I = "  "
        x = r.random()
        if depth >= 2:
            x = x * 0.24  # only flat statements this deep
        b = Block()
        if x < 0.12:
            f1, f2 = pick(r, FIELDS), pick(r, FIELDS)
            if f1 == f2:
                f2 = "label"
            a1 = sc.fresh(f1)
            a2 = sc.fresh(camel(pick(r, ADJS), f2))
            b.add(f"const {{ {f1}{'' if a1 == f1 else ': ' + a1}, {f2}: {a2} = {self.literal()} }} = {pick(r, sc.vars)} ?? {{}};")
            sc.vars.append(a1)
        elif x < 0.24:
            name = sc.fresh(camel(pick(r, ADJS), pick(r, NOUNS)))
            t = self.ann(self.ttype()) if self.ts and r.random() < 0.3 else ""
            b.add(f"const {name}{t} = {self.expr(sc)};")
            sc.vars.append(name)
        elif x < 0.32 and sc.lists:
            src = pick(r, sc.lists)
            name = sc.fresh(camel(pick(r, ADJS), plural(pick(r, NOUNS))))
            f1, f2 = pick(r, FIELDS), pick(r, FIELDS)
            b.add(f"const {name} = {src}")
            b.add(f"{I}.filter((entry) => entry?.{f1} !== undefined)")
            b.add(f"{I}.map((entry) => ({{ ...entry, {f2}: entry.{f2} ?? {self.literal()} }}));")
            sc.lists.append(name)
        elif x < 0.38 and sc.lists:
            src = pick(r, sc.lists)
            name = sc.fresh(camel("total", pick(r, ["amount", "count", "score", "weight"])))
            f = pick(r, FIELDS)
            b.add(f"const {name} = {src}.reduce((sum, entry) => sum + (entry.{f} ?? 0) * (entry.quantity ?? 1), 0);")
            sc.vars.append(name)
        elif x < 0.47:
            b.add(f"if ({self.cond(sc)}) {{")
            inner = sc.child()
            b.extend(self.stmts(inner, r.randint(1, 3), depth + 1), I)
            if r.random() < 0.4:
                b.add(f"}} else if ({self.cond(sc)}) {{")
                b.extend(self.stmts(sc.child(), r.randint(1, 2), depth + 1), I)
            if r.random() < 0.5:
                b.add("} else {")
                b.extend(self.stmts(sc.child(), r.randint(1, 2), depth + 1), I)
            b.add("}")
        elif x < 0.53:
            b.add(f"if ({self.cond(sc)}) {{")
            if r.random() < 0.5:
                b.add(f"{I}return {pick(r, ['null', 'undefined', '[]', 'false', self.member(sc)])};")
            else:
                b.add(f"{I}throw new Error(`{pick(r, WORDS)} {pick(r, WORDS)}: ${{{self.member(sc)}}}`);")
            b.add("}")
        elif x < 0.6 and sc.lists:
            lst = pick(r, sc.lists)
            inner = sc.child()
            it = inner.fresh(pick(r, NOUNS))
            inner.vars.append(it)
            b.add(f"for (const {it} of {lst}) {{")
            b.extend(self.stmts(inner, r.randint(1, 3), depth + 1), I)
            b.add("}")
        elif x < 0.68 and sc.is_async:
            res = sc.fresh("response")
            b.add("try {")
            b.add(f"{I}const {res} = await apiClient.{pick(r, ['get', 'post', 'put', 'patch'])}(`/{plural(pick(r, NOUNS))}/${{{self.member(sc)}}}`);")
            inner = sc.child()
            inner.vars.append(res)
            b.extend(self.stmts(inner, r.randint(1, 2), depth + 1), I)
            b.add("} catch (error) {")
            b.add(f"{I}logger.{pick(r, ['warn', 'error'])}('{' '.join(pick(r, WORDS) for _ in range(3))}', {{ error }});")
            if r.random() < 0.5:
                b.add(f"{I}throw error;")
            b.add("}" if r.random() < 0.7 else "} finally {")
            if b.lines[-1].endswith("{"):
                b.add(f"{I}{pick(r, sc.vars)}.{camel('set', pick(r, ['loading', 'busy', 'pending']))}?.(false);")
                b.add("}")
        elif x < 0.74:
            b.add(f"logger.{pick(r, ['debug', 'info', 'warn'])}(`{pick(r, VERBS)} {self.noun} ${{{self.member(sc)}}}`, {{ {pick(r, FIELDS)}: {self.member(sc)} }});")
        elif x < 0.8:
            v = self.member(sc).split("?.")[0].split(".")[0]
            b.add(f"switch ({v}?.status) {{")
            for st in r.sample(STATUSES, r.randint(2, 4)):
                b.add(f"{I}case '{st}': {{")
                b.extend(self.stmts(sc.child(), 1, depth + 2), I + I)
                b.add(f"{I}{I}break;")
                b.add(f"{I}}}")
            b.add(f"{I}default:")
            b.add(f"{I}{I}break;")
            b.add("}")
        elif x < 0.85 and sc.is_async and sc.lists:
            lst = pick(r, sc.lists)
            b.add(f"await Promise.all(")
            b.add(f"{I}{lst}.map(async (entry) => {{")
            b.add(f"{I}{I}await {pick(r, sc.vars)}.{camel(pick(r, VERBS), pick(r, NOUNS))}?.(entry.id);")
            b.add(f"{I}}}),")
            b.add(");")
        elif x < 0.9:
            name = sc.fresh(camel(pick(r, NOUNS), "payload"))
            b.add(f"const {name} = {{")
            for f in r.sample(FIELDS, r.randint(2, 5)):
                b.add(f"{I}{f}: {self.expr(sc, 1)},")
            if r.random() < 0.4:
                b.add(f"{I}...{pick(r, sc.vars)},")
            b.add("};")
            sc.vars.append(name)
        elif x < 0.94 and sc.lists:
            lst = pick(r, sc.lists)
            name = sc.fresh(camel(pick(r, NOUNS), "ById"))
            b.add(f"const {name} = new Map({lst}.map((entry) => [entry.id, entry]));")
            sc.vars.append(name)
        elif x < 0.97:
            name = sc.fresh("attempts")
            b.add(f"let {name} = 0;")
            b.add(f"while ({name} < MAX_RETRIES && {self.cond(sc)}) {{")
            b.add(f"{I}{name} += 1;")
            b.extend(self.stmts(sc.child(), 1, depth + 2), I)
            b.add("}")
        else:
            name = sc.fresh("isValid")
            b.add(f"const {name} = /^[a-z0-9][a-z0-9-]{{1,62}}$/i.test(String({self.member(sc)} ?? ''));")
            sc.vars.append(name)
        return b

    # ---- top-level units ----------------------------------------------
    def params(self, k):
        r = self.r
        names = []
        for _ in range(k):
            n = pick(r, NOUNS)
            if n in names:
                n = camel(pick(r, ADJS), n)
            if n in names:
                continue
            names.append(n)
        return names

    def sig(self, names, opts=False):
        if not self.ts:
            s = ", ".join(names)
        else:
            s = ", ".join(f"{n}: {self.ttype(simple=True)}" for n in names)
        if opts:
            s += (", " if s else "") + ("options = {}" if not self.ts else "options: Partial<RequestOptions> = {}")
        return s

    def u_constants(self):
        r = self.r
        b = Block()
        for _ in range(r.randint(1, 4)):
            x = r.random()
            nm = self.uniq(snake(camel(pick(r, ADJS), pick(r, NOUNS))).upper() + pick(r, ["_LIMIT", "_TTL_MS", "_KEY", "_LABELS", "_DEFAULTS"]))
            exp = "export " if r.random() < 0.4 else ""
            if nm.endswith("_LABELS") or nm.endswith("_DEFAULTS"):
                b.add(f"{exp}const {nm} = Object.freeze({{")
                for st in r.sample(STATUSES, r.randint(2, 6)):
                    b.add(f"  {st}: {self.strlit()},")
                b.add("});" if not self.ts or r.random() < 0.5 else "} as const);")
            elif nm.endswith("_KEY"):
                b.add(f"{exp}const {nm} = '{kebab(camel(pick(r, NOUNS), pick(r, ADJS)))}:v{r.randint(1, 4)}';")
            else:
                b.add(f"{exp}const {nm} = {pick(r, ['5_000', '30 * 1000', '60 * 60 * 1000', '100', '25'])};")
            b.add("")
        return b

    def u_types(self):
        r = self.r
        b = Block()
        name = self.uniq(self.Noun)
        self.types.append(name)
        b.add(f"export interface {name} {{")
        for f in r.sample(FIELDS, r.randint(4, 10)):
            opt = "?" if r.random() < 0.3 else ""
            ro = "readonly " if r.random() < 0.15 else ""
            t = pick(r, ["string", "number", "boolean", "Date", "string[]", "Record<string, unknown>",
                         "ReadonlyArray<string>", "number | null"])
            b.add(f"  {ro}{f}{opt}: {t};")
        b.add("}")
        b.add("")
        if r.random() < 0.7:
            st = self.uniq(self.Noun + "Status")
            b.add(f"export type {st} = " + " | ".join(f"'{s}'" for s in r.sample(STATUSES, r.randint(3, 5))) + ";")
            b.add("")
        if r.random() < 0.4:
            en = self.uniq(self.Noun + pick(r, ["Kind", "Scope", "Level"]))
            b.add(f"export enum {en} {{")
            for s in r.sample(STATUSES, r.randint(2, 5)):
                b.add(f"  {cap(s)} = '{s}',")
            b.add("}")
            b.add("")
        if r.random() < 0.5:
            ev = self.uniq(self.Noun + "Event")
            b.add(f"export type {ev} =")
            for s in r.sample(STATUSES, r.randint(2, 4)):
                b.add(f"  | {{ type: '{self.noun}/{s}'; payload: Partial<{name}> }}")
            b.add(f"  | {{ type: '{self.noun}/reset' }};")
            b.add("")
        if "RequestOptions" not in self.top:
            self.top.add("RequestOptions")
            b.add("interface RequestOptions {")
            b.add("  signal?: AbortSignal;")
            b.add("  retries: number;")
            b.add("  headers: Record<string, string>;")
            b.add("}")
            b.add("")
        return b

    def u_async_fn(self):
        r = self.r
        b = Block()
        verb = pick(r, VERBS)
        name = self.uniq(camel(verb, pick(r, [self.Noun, cap(plural(self.noun))])))
        ps = self.params(r.randint(1, 3))
        sc = Scope(r, ps, [camel(pick(r, ADJS), plural(self.noun))], is_async=True)
        lst = sc.lists[0]
        ret = f": Promise<{self.ttype()}>" if self.ts else ""
        exp = "export " if r.random() < 0.7 else ""
        if r.random() < 0.3:
            b.add("/**")
            b.add(f" * {cap(verb)}s the {self.noun} and related records.")
            for p in ps:
                b.add(f" * @param {p} - the {p} to use")
            b.add(" */")
        b.add(f"{exp}async function {name}({self.sig(ps, opts=r.random() < 0.4)}){ret} {{")
        b.add(f"  const {lst} = (await apiClient.get(`/{plural(self.noun)}`, {{ params: {{ {pick(r, FIELDS)}: {ps[0]}?.id }} }}))?.data ?? [];")
        b.extend(self.stmts(sc, r.randint(3, 8)), "  ")
        b.add(f"  return {pick(r, sc.vars + sc.lists)};")
        b.add("}")
        b.add("")
        return b

    def u_util_fn(self):
        r = self.r
        b = Block()
        name = self.uniq(camel(pick(r, VERBS), cap(pick(r, NOUNS)), pick(r, ["", "List", "Map", "Summary"])))
        lst = plural(self.noun)
        sc = Scope(r, [], [lst])
        sc.vars = ["options"]
        if self.ts:
            t = self.ttype(simple=True)
            head = f"export function {name}<T extends {{ id: string }}>({lst}: ReadonlyArray<T>, options: Partial<RequestOptions> = {{}}): {pick(r, ['T[]', 'Map<string, T>', 'number', 'Record<string, T[]>'])} {{"
            if r.random() < 0.5:
                head = f"export const {name} = ({lst}: {t}[], options: Record<string, unknown> = {{}}) => {{"
        else:
            head = f"export const {name} = ({lst}, options = {{}}) => {{" if r.random() < 0.5 else f"export function {name}({lst}, options = {{}}) {{"
        b.add(head)
        b.extend(self.stmts(sc, r.randint(2, 6)), "  ")
        b.add(f"  return {pick(r, sc.lists + sc.vars)};")
        b.add("};" if "=>" in head else "}")
        b.add("")
        return b

    def u_class(self):
        r = self.r
        b = Block()
        cname = self.uniq(pascal(self.noun, pick(r, ["Service", "Store", "Repository", "Client", "Manager", "Cache"])))
        ext = f" extends {pick(r, ['EventEmitter', 'BaseService'])}" if r.random() < 0.3 else ""
        impl = f" implements {pick(r, ['Disposable', 'Resettable'])}" if self.ts and r.random() < 0.25 else ""
        b.add(f"export class {cname}{ext}{impl} {{")
        if self.ts:
            b.add(f"  private readonly cache = new Map<string, {self.ttype(simple=True)}>();")
            b.add("  private pending: Promise<void> | null = null;")
            b.add(f"  static readonly DEFAULT_LIMIT = {r.randint(10, 200)};")
            b.add("")
            b.add(f"  constructor(private readonly client: typeof apiClient, private readonly ttlMs: number = 60_000) {{")
            if ext:
                b.add("    super();")
            b.add("  }")
        else:
            b.add("  #cache = new Map();")
            b.add("  #pending = null;")
            b.add(f"  static DEFAULT_LIMIT = {r.randint(10, 200)};")
            b.add("")
            b.add("  constructor(client, ttlMs = 60_000) {")
            if ext:
                b.add("    super();")
            b.add("    this.client = client;")
            b.add("    this.ttlMs = ttlMs;")
            b.add("  }")
        cache = "this.cache" if self.ts else "this.#cache"
        b.add("")
        b.add(f"  get size(){self.ann('number')} {{")
        b.add(f"    return {cache}.size;")
        b.add("  }")
        for _ in range(r.randint(2, 5)):
            b.add("")
            verb = pick(r, VERBS)
            m = camel(verb, pick(r, [self.Noun, "All", "Many", "ById", "Batch"]))
            ps = self.params(r.randint(1, 2))
            is_async = r.random() < 0.6
            sc = Scope(r, ps + ["this.client"], [camel(pick(r, ADJS), plural(self.noun))], is_async=is_async)
            rt = ""
            if self.ts:
                rt = f": Promise<{self.ttype()}>" if is_async else f": {self.ttype()}"
            vis = pick(r, ["", "", "private ", "protected ", "public "]) if self.ts else ""
            b.add(f"  {vis}{'async ' if is_async else ''}{m}({self.sig(ps)}){rt} {{")
            b.add(f"    const key = `{self.noun}:${{{ps[0]}?.id ?? 'all'}}`;")
            b.add(f"    const {sc.lists[0]} = {cache}.get(key)?.{plural(self.noun)} ?? [];")
            sc.taken.add("key")
            b.extend(self.stmts(sc, r.randint(2, 6)), "    ")
            b.add(f"    {cache}.set(key, {{ {plural(self.noun)}: {sc.lists[0]}, at: Date.now() }});")
            b.add(f"    return {pick(r, sc.vars[:-1] + sc.lists)};")
            b.add("  }")
        b.add("")
        b.add(f"  static create(client{self.ann('typeof apiClient')}){self.ann(cname)} {{")
        b.add(f"    return new {cname}(client);")
        b.add("  }")
        b.add("}")
        b.add("")
        return b

    def u_reducer(self):
        r = self.r
        b = Block()
        name = self.uniq(camel(self.noun, "Reducer"))
        init = self.uniq(camel("initial", self.Noun, "State"))
        b.add(f"export const {init} = {{")
        b.add("  status: 'idle',")
        b.add(f"  {plural(self.noun)}: [],")
        b.add("  selectedId: null,")
        b.add("  error: null,")
        b.add("};")
        b.add("")
        if self.ts:
            b.add(f"export function {name}(state: typeof {init} = {init}, action: {{ type: string; payload?: any }}): typeof {init} {{")
        else:
            b.add(f"export function {name}(state = {init}, action) {{")
        b.add("  switch (action.type) {")
        for st in r.sample(STATUSES, r.randint(3, 6)):
            b.add(f"    case '{self.noun}/{st}':")
            x = r.random()
            if x < 0.4:
                b.add(f"      return {{ ...state, status: '{st}', error: null }};")
            elif x < 0.7:
                b.add("      return {")
                b.add("        ...state,")
                b.add(f"        {plural(self.noun)}: state.{plural(self.noun)}.filter((entry) => entry.id !== action.payload?.id),")
                b.add("      };")
            else:
                b.add("      return {")
                b.add("        ...state,")
                b.add(f"        {plural(self.noun)}: [...state.{plural(self.noun)}, action.payload],")
                b.add(f"        selectedId: action.payload?.id ?? state.selectedId,")
                b.add("      };")
        b.add("    default:")
        b.add("      return state;")
        b.add("  }")
        b.add("}")
        b.add("")
        return b

    def u_hook(self):
        r = self.r
        self.react_used = True
        b = Block()
        name = self.uniq(camel("use", self.Noun, pick(r, ["", "List", "Details", "Filters", "Sync"])))
        ps = self.params(r.randint(1, 2))
        b.add(f"export function {name}({self.sig(ps)}) {{")
        st = "data"
        b.add(f"  const [{st}, setData] = useState{'<' + self.ttype() + ' | null>' if self.ts else ''}(null);")
        b.add(f"  const [status, setStatus] = useState{'<string>' if self.ts else ''}('idle');")
        b.add(f"  const [error, setError] = useState{'<Error | null>' if self.ts else ''}(null);")
        b.add("")
        b.add("  useEffect(() => {")
        b.add("    const controller = new AbortController();")
        b.add("    setStatus('loading');")
        b.add(f"    apiClient.get(`/{plural(self.noun)}/${{{ps[0]}?.id}}`, {{ signal: controller.signal }})")
        b.add("      .then((res) => {")
        b.add("        setData(res.data);")
        b.add("        setStatus('ready');")
        b.add("      })")
        b.add("      .catch((err) => {")
        b.add("        if (err?.name === 'AbortError') return;")
        b.add("        setError(err);")
        b.add("        setStatus('error');")
        b.add("      });")
        b.add("    return () => controller.abort();")
        b.add(f"  }}, [{ps[0]}?.id]);")
        b.add("")
        sc = Scope(r, ps + ["data"], [], is_async=False)
        b.add("  const summary = useMemo(() => {")
        b.add(f"    if (!{st}) return null;")
        b.extend(self.stmts(sc, r.randint(1, 4), 1), "    ")
        b.add(f"    return {{ ...{st}, {pick(r, FIELDS)}: {self.member(sc)} }};")
        b.add(f"  }}, [{st}]);")
        b.add("")
        b.add("  const reload = useCallback(async () => {")
        b.add("    setStatus('loading');")
        b.add(f"    const res = await apiClient.get(`/{plural(self.noun)}/${{{ps[0]}?.id}}`);")
        b.add("    setData(res?.data ?? null);")
        b.add("    setStatus('ready');")
        b.add(f"  }}, [{ps[0]}?.id]);")
        b.add("")
        b.add("  return { data, status, error, summary, reload };")
        b.add("}")
        b.add("")
        return b

    def jsx_children(self, sc, depth):
        r = self.r
        b = Block()
        for _ in range(r.randint(1, 4 if depth < 2 else 2)):
            x = r.random()
            if depth >= 3:
                x = 0.9 + x * 0.1
            if x < 0.3:
                tag = pick(r, HTML_TAGS)
                cls = kebab(camel(self.noun, pick(r, ["header", "body", "row", "meta", "actions", "title", "list"])))
                b.add(f'<{tag} className="{cls}">')
                b.extend(self.jsx_children(sc, depth + 1), "  ")
                b.add(f"</{tag}>")
            elif x < 0.5:
                comp = pick(r, self.ui)
                props = {}
                for _ in range(r.randint(1, 3)):
                    y = r.random()
                    if y < 0.4:
                        k = pick(r, ["variant", "size", "tone", "align"])
                        props.setdefault(k, f'{k}="{pick(r, ["primary", "small", "muted", "start", "ghost"])}"')
                    elif y < 0.7:
                        k = pick(r, FIELDS)
                        props.setdefault(k, f"{k}={{{self.member(sc)}}}")
                    else:
                        k = pick(r, ["onClick", "onChange", "onClose"])
                        props.setdefault(k, f"{k}={{() => {pick(r, sc.handlers)}({pick(r, sc.vars)})}}")
                props = list(props.values())
                if r.random() < 0.5:
                    b.add(f"<{comp} {' '.join(props)} />")
                else:
                    b.add(f"<{comp} {' '.join(props)}>")
                    b.add(f"  {{{self.member(sc)}}}")
                    b.add(f"</{comp}>")
            elif x < 0.65:
                b.add(f"{{{self.cond(sc)} && (")
                b.add(f"  <{pick(r, self.ui)} {pick(r, FIELDS)}={{{self.member(sc)}}} />")
                b.add(")}")
            elif x < 0.8 and sc.lists:
                lst = pick(r, sc.lists)
                row = pick(r, ["li", "div", "tr"])
                b.add(f"{{{lst}.map((entry) => (")
                b.add(f"  <{row} key={{entry.id}} className={{entry.id === selectedId ? 'is-selected' : undefined}}>")
                b.add(f"    <span>{{entry.{pick(r, ['name', 'title', 'label'])}}}</span>")
                if r.random() < 0.5:
                    b.add(f"    <small>{{entry.{pick(r, FIELDS)}?.toString() ?? '-'}}</small>")
                b.add(f"  </{row}>")
                b.add("))}")
            elif x < 0.9:
                b.add(f"{{{self.cond(sc)} ? (")
                b.add(f"  <{pick(r, self.ui)} />")
                b.add(") : (")
                b.add(f"  <span>{{{self.member(sc)}}}</span>")
                b.add(")}")
            else:
                b.add(f"<span>{' '.join(pick(r, WORDS) for _ in range(r.randint(1, 4)))}</span>")
        return b

    def u_component(self):
        r = self.r
        self.react_used = True
        b = Block()
        name = self.uniq(pascal(self.noun, pick(r, ["List", "Panel", "Card", "Form", "Header", "Details", "Table", "Row"])))
        ps = self.params(r.randint(1, 3))
        lst = plural(self.noun)
        if lst in ps:
            ps.remove(lst)
        handler = camel("on", pick(r, ["Select", "Change", "Close", "Submit"]))
        props = [lst] + ps + [handler]
        arrow = False
        if self.ts:
            pt = self.uniq(name + "Props")
            b.add(f"interface {pt} {{")
            b.add(f"  {lst}: {self.Noun if self.Noun in self.types else 'any'}[];")
            for p in ps:
                b.add(f"  {p}?: {self.ttype()};")
            b.add(f"  {handler}?: (value: unknown) => void;")
            b.add("}")
            b.add("")
            b.add(f"export function {name}({{ {', '.join(props)} }}: {pt}) {{")
        elif r.random() < 0.5:
            b.add(f"export function {name}({{ {', '.join(props)} }}) {{")
        else:
            arrow = True
            b.add(f"export const {name} = ({{ {', '.join(props)} }}) => {{")
        b.add(f"  const [query, setQuery] = useState('');")
        b.add(f"  const [selectedId, setSelectedId] = useState{'<string | null>' if self.ts else ''}(null);")
        b.add(f"  const visible = useMemo(")
        b.add(f"    () => ({lst} ?? []).filter((entry) => entry?.name?.toLowerCase().includes(query.toLowerCase())),")
        b.add(f"    [{lst}, query],")
        b.add("  );")
        hname = camel("handle", pick(r, ["select", "toggle", "open", "remove"]))
        b.add(f"  const {hname} = useCallback(")
        b.add(f"    (entry{self.ann('any')}) => {{")
        b.add("      setSelectedId(entry?.id ?? null);")
        b.add(f"      {handler}?.(entry);")
        b.add("    },")
        b.add(f"    [{handler}],")
        b.add("  );")
        sc = Scope(r, ps + ["entry"] if ps else ["entry"], ["visible", lst])
        sc.handlers = [hname, "setSelectedId", "setQuery"]
        sc.taken |= {"query", "selectedId", "visible", hname}
        if r.random() < 0.5:
            b.add("")
            b.add("  useEffect(() => {")
            b.add("    if (!selectedId) return undefined;")
            b.add("    const timer = setTimeout(() => setSelectedId(null), 30_000);")
            b.add("    return () => clearTimeout(timer);")
            b.add("  }, [selectedId]);")
        b.add("")
        b.add(f"  if (!{lst}?.length) {{")
        b.add(f"    return <EmptyState title=\"No {plural(self.noun)} yet\" />;")
        b.add("  }")
        b.add("")
        b.add("  return (")
        root = pick(r, ["section", "div", "article"])
        b.add(f'    <{root} className="{kebab(name)}">')
        b.add("      <header>")
        b.add(f"        <h2>{cap(plural(self.noun))}</h2>")
        b.add("        <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder=\"Search\" />")
        b.add("      </header>")
        b.extend(self.jsx_children(sc, 1), "      ")
        b.add(f"    </{root}>")
        b.add("  );")
        b.add("};" if arrow else "}")
        b.add("")
        return b

    # ---- Amplitude units -------------------------------------------------
    def amp_props(self, sc, indent):
        """An event-properties object; returns list of lines (first w/o indent)."""
        r = self.r
        fields = r.sample(FIELDS, r.randint(1, 4))
        if r.random() < 0.45:
            inner = ", ".join(f"{f}: {self.member(sc)}" for f in fields[:2])
            return [f"{{ {inner} }}"]
        lines = ["{"]
        for f in fields:
            lines.append(f"{indent}  {f}: {self.member(sc)},")
        lines.append(f"{indent}}}")
        return lines

    def amp_call(self, flavor, kind, sc, indent, noun=None, event=None):
        """Lines of one Amplitude call (statement) + site info."""
        r = self.r
        ev = event or event_name(r, noun or self.noun)
        recv = {"browser": "amplitude.", "legacy": "amplitude.getInstance().", "named": ""}[flavor]
        if kind == "track":
            fn = "logEvent" if flavor == "legacy" else "track"
            if r.random() < 0.15:
                lines = [f"{recv}{fn}('{ev}');"]
            else:
                props = self.amp_props(sc, indent)
                lines = [f"{recv}{fn}('{ev}', {props[0]}"] + props[1:]
                if flavor == "browser" and r.random() < 0.1:
                    lines[-1] += f", {{ user_id: {self.member(sc)} }}"
                lines[-1] += ");"
            k = {"browser": "js_browser_track", "legacy": "js_legacy_logEvent", "named": "js_named_track"}[flavor]
            return lines, {"kind": k, "track": True, "narrow": flavor != "named", "event": ev}
        if kind == "setUserId":
            uid = pick(r, [f"{sc.vars[0]}?.id ?? null", f"{sc.vars[0]}.id", f"String({sc.vars[0]}.userId)"])
            return [f"{recv}setUserId({uid});"], {"kind": "js_setUserId", "track": False, "narrow": False}
        if kind == "setGroup":
            grp = pick(r, ["org", "company", "team", "workspace"])
            return [f"{recv}setGroup('{grp}', {sc.vars[0]}?.{grp}Id ?? 'none');"], {"kind": "js_setGroup", "track": False, "narrow": False}
        if kind == "identify":
            ident = "new amplitude.Identify()" if flavor != "named" else "new Identify()"
            sets = [f".set('{pick(r, ['plan', 'role', 'locale', 'company', 'seats'])}', {self.member(sc)})" for _ in range(r.randint(1, 3))]
            if len(sets) == 1:
                return [f"{recv}identify({ident}{sets[0]});"], {"kind": "js_identify", "track": False, "narrow": False}
            lines = [f"{recv}identify(", f"{indent}  {ident}"]
            for s in sets:
                lines.append(f"{indent}    {s}")
            lines[-1] += ","
            lines.append(f"{indent});")
            return lines, {"kind": "js_identify", "track": False, "narrow": False}
        if kind == "init":
            key = "AMPLITUDE_API_KEY"
            if flavor == "legacy":
                return [f"{recv}init({key}, {self.member(sc)} ?? undefined, {{ includeReferrer: true }});"], {"kind": "js_init", "track": False, "narrow": False}
            return [f"{recv}init({key}, {{ defaultTracking: false, serverZone: 'US' }});"], {"kind": "js_init", "track": False, "narrow": False}
        raise ValueError(kind)

    def u_amp(self, flavor):
        """A unit with 1..n Amplitude call sites in plausible places."""
        r = self.r
        b = Block()
        shape = r.random()
        if shape < 0.2:
            # init + identity
            name = self.uniq(camel("init", pick(r, ["Analytics", "Tracking", "Telemetry"])))
            p = pick(r, ["user", "account", "member"])
            b.add(f"export function {name}({p}{self.ann('any')}) {{")
            sc = Scope(r, [p], [])
            b.add(f"  if (!{p}) return;")
            kinds = ["init", "setUserId"] + r.sample(["identify", "setGroup", "track"], r.randint(1, 3))
            for k in kinds:
                lines, site = self.amp_call(flavor, k, sc, "  ")
                b.add_lines(["  " + lines[0]] + lines[1:], site)
            b.add("}")
            b.add("")
        elif shape < 0.6:
            # thin wrappers: export function trackX(...) { amplitude.track(...) }
            for _ in range(r.randint(1, 4)):
                noun = pick(r, NOUNS)
                past = pick(r, PAST)
                name = self.uniq(camel("track", cap(noun), past))
                p = noun
                sc = Scope(r, [p, "context"], [])
                b.add(f"export function {name}({p}{self.ann('any')}, context{self.ann('Record<string, unknown>')} = {{}}) {{")
                lines, site = self.amp_call(flavor, "track", sc, "  ", noun=noun, event=f"{cap(noun)} {past}")
                b.add_lines(["  " + lines[0]] + lines[1:], site)
                b.add("}")
                b.add("")
        else:
            # a real async workflow that tracks success / failure
            name = self.uniq(camel(pick(r, VERBS), self.Noun, pick(r, ["", "AndTrack", "Flow"])))
            ps = self.params(r.randint(1, 2))
            sc = Scope(r, ps, [camel(pick(r, ADJS), plural(self.noun))], is_async=True)
            b.add(f"export async function {name}({self.sig(ps)}) {{")
            b.add(f"  const {sc.lists[0]} = (await apiClient.get(`/{plural(self.noun)}`))?.data ?? [];")
            b.extend(self.stmts(sc, r.randint(1, 3)), "  ")
            b.add("  try {")
            b.add(f"    const result = await apiClient.post(`/{plural(self.noun)}/${{{ps[0]}?.id}}/{pick(r, VERBS)}`, {{ {pick(r, FIELDS)}: {self.member(sc)} }});")
            sc.vars.append("result")
            lines, site = self.amp_call(flavor, "track", sc, "    ")
            b.add_lines(["    " + lines[0]] + lines[1:], site)
            if r.random() < 0.3:
                lines, site = self.amp_call(flavor, pick(r, ["setUserId", "identify", "setGroup"]), sc, "    ")
                b.add_lines(["    " + lines[0]] + lines[1:], site)
            b.add("    return result;")
            b.add("  } catch (error) {")
            if r.random() < 0.6:
                sc2 = Scope(r, ps + ["error"], [])
                lines, site = self.amp_call(flavor, "track", sc2, "    ")
                b.add_lines(["    " + lines[0]] + lines[1:], site)
            b.add("    throw error;")
            b.add("  }")
            b.add("}")
            b.add("")
        return b

    # ---- decoys ----------------------------------------------------------
    def u_decoy(self):
        """Code that looks like analytics or mentions 'amplitude' but is not Amplitude."""
        r = self.r
        b = Block()
        x = r.random()
        if x < 0.35:
            name = self.uniq(camel("track", self.Noun, "Segment"))
            b.add(f"export function {name}({self.noun}{self.ann('any')}) {{")
            b.add(f"  analytics.track('{event_name(r, self.noun)}', {{ id: {self.noun}?.id, plan: {self.noun}?.plan }});")
            b.add("}")
        elif x < 0.6:
            name = self.uniq(camel("compute", "Waveform"))
            b.add(f"export function {name}(samples{self.ann('Float32Array')}, gain = 1) {{")
            b.add("  let amplitude = 0;")
            b.add("  for (const sample of samples) {")
            b.add("    amplitude = Math.max(amplitude, Math.abs(sample) * gain);")
            b.add("  }")
            b.add("  return { amplitude, db: 20 * Math.log10(amplitude || 1e-9) };")
            b.add("}")
        elif x < 0.8:
            name = self.uniq(camel("report", self.Noun))
            b.add(f"// NOTE: migrated from Amplitude to the in-house tracker in Q3; keep event names stable.")
            b.add(f"export function {name}(tracker{self.ann('any')}, {self.noun}{self.ann('any')}) {{")
            b.add(f"  tracker.track('{event_name(r, self.noun)}', {{ id: {self.noun}?.id }});")
            b.add(f"  tracker.logEvent?.('{event_name(r, self.noun)}');")
            b.add("}")
        else:
            name = self.uniq(camel("track", self.Noun, "Mixpanel"))
            b.add(f"export function {name}({self.noun}{self.ann('any')}) {{")
            b.add(f"  mixpanel.track('{event_name(r, self.noun)}', {{ distinct_id: {self.noun}?.id }});")
            b.add("}")
        b.add("")
        return b

    # ---- module ----------------------------------------------------------
    def module(self, target_lines, amp_flavor=None, decoy=False, role="lib"):
        r = self.r
        units = []
        wants_component = self.jsx and role == "component"
        if self.ts:
            units.append(self.u_types())
        if r.random() < 0.7:
            units.append(self.u_constants())
        self.helpers = r.sample(["formatDate", "clamp", "toCents", "slugify", "isBlank", "uniqueBy", "sleep"], r.randint(1, 4))
        self.ui = r.sample(UI_COMPONENTS, r.randint(3, 7))
        if "EmptyState" not in self.ui:
            self.ui.append("EmptyState")
        total = sum(len(u) for u in units)
        makers = [self.u_async_fn, self.u_util_fn, self.u_class, self.u_reducer]
        weights = [4, 4, 2, 1]
        if self.jsx:
            makers += [self.u_component, self.u_hook]
            weights += [5 if wants_component else 2, 2]
        elif role == "hook":
            makers.append(self.u_hook)
            weights.append(4)
        body = []
        if wants_component:
            body.append(self.u_component())
            total += len(body[-1])
        guard = 0
        while total < target_lines and guard < 60:
            guard += 1
            u = r.choices(makers, weights)[0]()
            body.append(u)
            total += len(u)
        if amp_flavor:
            n_amp = r.randint(1, 3)
            for _ in range(n_amp):
                body.insert(r.randint(0, len(body)), self.u_amp(amp_flavor))
        if decoy:
            body.insert(r.randint(0, len(body)), self.u_decoy())

        head = Block()
        if r.random() < 0.15:
            head.add("/**")
            head.add(f" * {cap(self.noun)} {pick(r, ['helpers', 'module', 'feature', 'state'])}.")
            head.add(" * @packageDocumentation")
            head.add(" */")
        if self.react_used:
            head.add("import React, { useCallback, useEffect, useMemo, useState } from 'react';")
        for lib in r.sample(JS_LIBS[1:], r.randint(1, 3)):
            mod, style, names = lib
            if style == "default":
                head.add(f"import {names} from '{mod}';")
            else:
                head.add(f"import {{ {', '.join(r.sample(names, r.randint(1, len(names))))} }} from '{mod}';")
        head.add(f"import {{ apiClient }} from '{self.up}api/client';")
        head.add(f"import {{ logger }} from '{self.up}lib/logger';")
        head.add(f"import {{ {', '.join(self.helpers)} }} from '{self.up}lib/utils';")
        if self.jsx or self.react_used:
            head.add(f"import {{ {', '.join(sorted(self.ui))} }} from '@acme/ui';")
        if self.ts and r.random() < 0.5:
            head.add(f"import type {{ {pick(r, ['Paginated', 'ApiError', 'Timestamp'])} }} from '{self.up}types';")
        if amp_flavor == "browser":
            head.add("import * as amplitude from '@amplitude/analytics-browser';")
        elif amp_flavor == "legacy":
            head.add("import amplitude from 'amplitude-js';")
        elif amp_flavor == "named":
            head.add("import { Identify, identify, init, setGroup, setUserId, track } from '@amplitude/analytics-browser';")
        if amp_flavor:
            head.add(f"import {{ AMPLITUDE_API_KEY }} from '{self.up}config';")
        if decoy:
            head.add(f"import {{ analytics, mixpanel }} from '{self.up}lib/analytics';")
        head.add("")
        head.add("const MAX_RETRIES = 3;")
        head.add("const MAX_ITEMS = 50;")
        head.add("")
        out = Block()
        out.extend(head)
        for u in units + body:
            out.extend(u)
        if r.random() < 0.3:
            exported = [n for n in sorted(self.top) if n[:1].islower() and n != "RequestOptions"]
            if exported:
                out.add(f"export default {pick(r, exported)};")
        while out.lines and out.lines[-1] == "":
            out.lines.pop()
        return out


# --------------------------------------------------------------------------
# Python
# --------------------------------------------------------------------------
class PyGen:
    def __init__(self, rng, pkg):
        self.r = rng
        self.pkg = pkg
        self.top = set()
        self.noun = pick(rng, NOUNS)
        self.Noun = cap(self.noun)
        self.models = [self.Noun]
        self.amp_client = pick(rng, ["client", "client", "client", "amplitude_client", "amp"])

    def uniq(self, name):
        base, i = name, 2
        while name in self.top:
            name = f"{base}{i}"
            i += 1
        self.top.add(name)
        return name

    def strlit(self):
        r = self.r
        x = r.random()
        if x < 0.4:
            return '"' + pick(r, STATUSES) + '"'
        if x < 0.7:
            return '"' + snake(camel(pick(r, ADJS), pick(r, NOUNS))) + '"'
        return '"' + " ".join(pick(r, WORDS) for _ in range(r.randint(2, 5))) + '"'

    def literal(self):
        x = self.r.random()
        if x < 0.45:
            return self.strlit()
        if x < 0.75:
            return str(pick(self.r, [0, 1, 2, 10, 25, 100, 1000, 3600, 0.5]))
        if x < 0.88:
            return pick(self.r, ["True", "False"])
        return pick(self.r, ["None", "[]", "{}"])

    def member(self, sc):
        r = self.r
        v = pick(r, sc.vars)
        f = snake(pick(r, FIELDS))
        x = r.random()
        if x < 0.5:
            return f"{v}.{f}"
        if x < 0.7:
            return f'{v}.get("{f}")' if v in sc.dicts else f"getattr({v}, \"{f}\", None)"
        if x < 0.85:
            return f"{v}.{f}.{snake(pick(r, FIELDS))}"
        return f"len({v}.{f} or [])"

    def plain(self, sc):
        """Attribute access without quotes, safe inside f-strings on Python < 3.12."""
        r = self.r
        return f"{pick(r, sc.vars)}.{snake(pick(r, FIELDS))}"

    def expr(self, sc, depth=0):
        r = self.r
        x = r.random()
        if depth > 1:
            x *= 0.4
        if x < 0.2:
            return self.member(sc)
        if x < 0.3:
            return f"{self.member(sc)} or {self.literal()}"
        if x < 0.4:
            return self.literal()
        if x < 0.5:
            return f'f"{pick(r, WORDS)} {{{self.plain(sc)}}} {pick(r, WORDS)}"'
        if x < 0.6 and sc.lists:
            lst = pick(r, sc.lists)
            return f"[item.{snake(pick(r, FIELDS))} for item in {lst} if item.{snake(pick(r, FIELDS))}]"
        if x < 0.68 and sc.lists:
            lst = pick(r, sc.lists)
            return f"{{item.id: item for item in {lst}}}"
        if x < 0.75:
            return f"{self.expr(sc, depth + 2)} if {self.cond(sc)} else {self.literal()}"
        if x < 0.82:
            return f"{pick(r, sc.vars)}.{snake(camel(pick(r, VERBS), pick(r, NOUNS)))}({self.member(sc)})"
        if x < 0.9:
            return f"datetime.now(timezone.utc) - timedelta(seconds={self.member(sc)} or 0)"
        return f"sum(item.{snake(pick(r, FIELDS))} or 0 for item in {pick(r, sc.lists) if sc.lists else '[]'})"

    def cond(self, sc):
        r = self.r
        x = r.random()
        if x < 0.25:
            return f"not {self.member(sc)}"
        if x < 0.45:
            return f"{self.member(sc)} == {self.strlit()}"
        if x < 0.6 and sc.lists:
            return f"len({pick(r, sc.lists)}) > {pick(r, ['0', '1', 'MAX_BATCH'])}"
        if x < 0.75:
            return f"{self.member(sc)} is not None"
        if x < 0.88:
            return f"isinstance({self.member(sc)}, (int, float))"
        return f"{self.member(sc)} in {{{self.strlit()}, {self.strlit()}}}"

    def stmts(self, sc, n, depth=0):
        b = Block()
        for _ in range(n):
            b.extend(self.stmt(sc, depth))
        return b

    def stmt(self, sc, depth):
        r = self.r
        I = "    "
        b = Block()
        x = r.random()
        if depth >= 2:
            x *= 0.15  # only flat statements this deep
        if x < 0.15:
            name = sc.fresh(snake(camel(pick(r, ADJS), pick(r, NOUNS))))
            ann = f": {pick(r, ['int', 'str', 'float', 'bool', 'Any', 'dict[str, Any]'])}" if r.random() < 0.2 else ""
            b.add(f"{name}{ann} = {self.expr(sc)}")
            sc.vars.append(name)
        elif x < 0.25 and sc.lists:
            src = pick(r, sc.lists)
            name = sc.fresh(snake(camel(pick(r, ADJS), plural(pick(r, NOUNS)))))
            b.add(f"{name} = [")
            b.add(f"{I}item")
            b.add(f"{I}for item in {src}")
            b.add(f"{I}if item.{snake(pick(r, FIELDS))} and item.{snake(pick(r, FIELDS))} != {self.literal()}")
            b.add("]")
            sc.lists.append(name)
        elif x < 0.35:
            b.add(f"if {self.cond(sc)}:")
            b.extend(self.stmts(sc.child(), r.randint(1, 3), depth + 1), I)
            if r.random() < 0.35:
                b.add(f"elif {self.cond(sc)}:")
                b.extend(self.stmts(sc.child(), r.randint(1, 2), depth + 1), I)
            if r.random() < 0.45:
                b.add("else:")
                b.extend(self.stmts(sc.child(), r.randint(1, 2), depth + 1), I)
        elif x < 0.41:
            b.add(f"if {self.cond(sc)}:")
            if r.random() < 0.5:
                b.add(f"{I}return {pick(r, ['None', '[]', 'False', self.member(sc)])}")
            else:
                b.add(f'{I}raise ValueError(f"{pick(r, WORDS)} {pick(r, WORDS)}: {{{self.plain(sc)}!r}}")')
        elif x < 0.5 and sc.lists:
            lst = pick(r, sc.lists)
            inner = sc.child()
            it = inner.fresh(pick(r, NOUNS))
            inner.vars.append(it)
            if r.random() < 0.3:
                b.add(f"for index, {it} in enumerate({lst}):")
            else:
                b.add(f"for {it} in {lst}:")
            b.extend(self.stmts(inner, r.randint(1, 3), depth + 1), I)
        elif x < 0.6:
            b.add("try:")
            res = sc.fresh("response")
            if sc.is_async:
                b.add(f'{I}{res} = await http.{pick(r, ["get", "post", "put"])}(f"/{plural(pick(r, NOUNS))}/{{{self.plain(sc)}}}", timeout=DEFAULT_TIMEOUT)')
            else:
                b.add(f'{I}{res} = session.{pick(r, ["get", "post", "put"])}(f"/{plural(pick(r, NOUNS))}/{{{self.plain(sc)}}}", timeout=DEFAULT_TIMEOUT)')
            b.add(f"{I}{res}.raise_for_status()")
            inner = sc.child()
            inner.vars.append(res)
            b.extend(self.stmts(inner, r.randint(0, 2), depth + 1), I)
            exc = pick(r, ["httpx.HTTPError", "(KeyError, ValueError)", "Exception", "TimeoutError"])
            b.add(f"except {exc} as exc:")
            b.add(f'{I}logger.{pick(r, ["warning", "exception", "error"])}("{" ".join(pick(r, WORDS) for _ in range(3))}: %s", exc)')
            if r.random() < 0.4:
                b.add(f"{I}raise")
            if r.random() < 0.2:
                b.add("finally:")
                b.add(f"{I}{pick(r, sc.vars)}.close()")
        elif x < 0.68:
            b.add(f'logger.{pick(r, ["debug", "info"])}("{pick(r, VERBS)} {self.noun} %s", {self.member(sc)})')
        elif x < 0.76:
            name = sc.fresh(snake(camel(pick(r, NOUNS), "payload")))
            b.add(f"{name} = {{")
            for f in r.sample(FIELDS, r.randint(2, 5)):
                b.add(f'{I}"{snake(f)}": {self.expr(sc, 1)},')
            if r.random() < 0.3:
                b.add(f"{I}**{pick(r, sc.vars)}.__dict__,")
            b.add("}")
            sc.vars.append(name)
            sc.dicts.add(name)
        elif x < 0.82:
            ctx = pick(r, ["lock", "session.begin()", 'open(path, encoding="utf-8") as fh', 'timer("' + self.noun + '")'])
            b.add(f"with {ctx}:")
            b.extend(self.stmts(sc.child(), r.randint(1, 2), depth + 1), I)
        elif x < 0.88 and sc.lists:
            name = sc.fresh(snake(camel("by", pick(r, ["status", "owner", "kind"]))))
            b.add(f"{name}: dict[str, list[Any]] = defaultdict(list)")
            b.add(f"for item in {pick(r, sc.lists)}:")
            b.add(f"{I}{name}[item.{snake(pick(r, FIELDS))}].append(item)")
            sc.vars.append(name)
            sc.dicts.add(name)
        elif x < 0.93:
            name = sc.fresh("match")
            b.add(f"if ({name} := SLUG_RE.match(str({self.member(sc)} or \"\"))) is not None:")
            b.add(f"{I}{pick(r, sc.vars)}.slug = {name}.group(0)")
        else:
            v = pick(r, sc.vars)
            b.add(f"{v}.{snake(pick(r, FIELDS))} = {self.expr(sc, 1)}")
        return b

    def params(self, k):
        r = self.r
        out = []
        for _ in range(k):
            n = pick(r, NOUNS)
            if n not in out:
                out.append(n)
        return out

    def sig(self, ps, self_=False):
        r = self.r
        parts = ["self"] if self_ else []
        for p in ps:
            parts.append(f"{p}: {pick(r, self.models + ['dict[str, Any]', 'str', 'int', 'Any'])}")
        if r.random() < 0.3:
            parts.append("*, limit: int = 100")
        return ", ".join(parts)

    def u_constants(self):
        r = self.r
        b = Block()
        b.add("logger = logging.getLogger(__name__)")
        b.add("")
        b.add(f"DEFAULT_TIMEOUT = {pick(r, ['5.0', '10', '30', '2.5'])}")
        b.add(f"MAX_BATCH = {r.randint(10, 500)}")
        b.add('SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")')
        for _ in range(r.randint(0, 3)):
            nm = self.uniq(snake(camel(pick(r, ADJS), pick(r, NOUNS))).upper() + pick(r, ["_LIMIT", "_KEY", "_STATES"]))
            if nm.endswith("_STATES"):
                b.add(f"{nm} = frozenset({{{', '.join(chr(34) + s + chr(34) for s in r.sample(STATUSES, 3))}}})")
            elif nm.endswith("_KEY"):
                b.add(f'{nm} = "{snake(camel(pick(r, NOUNS), pick(r, ADJS)))}:v{r.randint(1, 4)}"')
            else:
                b.add(f"{nm} = {r.randint(2, 5000)}")
        b.add("")
        b.add("")
        return b

    def u_enum(self):
        r = self.r
        b = Block()
        name = self.uniq(self.Noun + pick(r, ["Status", "Kind", "Scope"]))
        b.add(f"class {name}(str, Enum):")
        for s in r.sample(STATUSES, r.randint(2, 6)):
            b.add(f'    {s.upper()} = "{s}"')
        b.add("")
        b.add("")
        return b

    def u_dataclass(self):
        r = self.r
        b = Block()
        name = self.uniq(pascal(self.noun, pick(r, ["", "Record", "Snapshot", "Summary", "Row"])))
        self.models.append(name)
        pyd = r.random() < 0.4
        if pyd:
            b.add(f"class {name}(BaseModel):")
        else:
            b.add(f"@dataclass({pick(r, ['', 'frozen=True', 'slots=True'])})")
            b.add(f"class {name}:")
        if r.random() < 0.5:
            b.add(f'    """A {self.noun} as stored by the {self.pkg} service."""')
            b.add("")
        fields = r.sample(FIELDS, r.randint(3, 9))
        req, opt = fields[: len(fields) // 2], fields[len(fields) // 2:]
        for f in req:
            b.add(f"    {snake(f)}: {pick(r, ['str', 'int', 'float', 'bool', 'datetime', 'Decimal'])}")
        for f in opt:
            t = pick(r, ["Optional[str]", "list[str]", "dict[str, Any]", "int"])
            if pyd:
                dflt = "Field(default_factory=list)" if t.startswith("list") else ("Field(default_factory=dict)" if t.startswith("dict") else ("None" if t.startswith("Optional") else "0"))
            else:
                dflt = "field(default_factory=list)" if t.startswith("list") else ("field(default_factory=dict)" if t.startswith("dict") else ("None" if t.startswith("Optional") else "0"))
            b.add(f"    {snake(f)}: {t} = {dflt}")
        b.add("")
        b.add("    @property")
        b.add(f"    def {self.uniq('is_' + pick(r, STATUSES))}(self) -> bool:")
        b.add(f'        return getattr(self, "status", None) == "{pick(r, STATUSES)}"')
        if r.random() < 0.6:
            b.add("")
            b.add("    @classmethod")
            b.add(f'    def from_row(cls, row: dict[str, Any]) -> "{name}":')
            b.add("        return cls(")
            for f in req:
                b.add(f'            {snake(f)}=row["{snake(f)}"],')
            b.add("        )")
        if r.random() < 0.5:
            b.add("")
            b.add("    def to_dict(self) -> dict[str, Any]:")
            b.add("        return {")
            for f in fields:
                b.add(f'            "{f}": self.{snake(f)},')
            b.add("        }")
        b.add("")
        b.add("")
        return b

    def u_function(self, is_async=None):
        r = self.r
        b = Block()
        if is_async is None:
            is_async = r.random() < 0.35
        verb = pick(r, VERBS)
        name = self.uniq(snake(camel(verb, pick(r, [self.Noun, cap(plural(self.noun)), cap(pick(r, NOUNS))]))))
        ps = self.params(r.randint(1, 3))
        lst = plural(self.noun)
        sc = Scope(r, ps, [lst], is_async=is_async)
        sc.dicts = set()
        ret = pick(r, ["None", "list[Any]", f"Optional[{pick(r, self.models)}]", "dict[str, Any]", "int"])
        if r.random() < 0.2:
            b.add(f'@router.{pick(r, ["get", "post"])}("/{plural(self.noun)}/{{{self.noun}_id}}")')
        elif r.random() < 0.15:
            b.add("@lru_cache(maxsize=256)")
        b.add(f"{'async ' if is_async else ''}def {name}({self.sig(ps)}) -> {ret}:")
        if r.random() < 0.5:
            b.add(f'    """{cap(verb)} {plural(self.noun)} for the given {ps[0]}."""')
        if is_async:
            b.add(f'    {lst} = await fetch_all(f"/{plural(self.noun)}?owner={{{ps[0]}.id}}")')
        else:
            b.add(f"    {lst} = list(repository.iter_{plural(self.noun)}({ps[0]}))")
        b.extend(self.stmts(sc, r.randint(3, 8)), "    ")
        b.add(f"    return {pick(r, sc.vars + sc.lists)}")
        b.add("")
        b.add("")
        return b

    def u_class(self):
        r = self.r
        b = Block()
        name = self.uniq(pascal(self.noun, pick(r, ["Service", "Repository", "Client", "Worker", "Manager"])))
        b.add(f"class {name}{pick(r, ['', '', '(BaseService)', '(Generic[T])'])}:")
        if r.random() < 0.5:
            b.add(f'    """Coordinates {plural(self.noun)} for the {self.pkg} service."""')
            b.add("")
        b.add(f"    def __init__(self, session: Session, *, cache_ttl: int = 300) -> None:")
        b.add("        self.session = session")
        b.add("        self.cache_ttl = cache_ttl")
        b.add(f"        self._cache: dict[str, Any] = {{}}")
        for _ in range(r.randint(2, 5)):
            b.add("")
            if r.random() < 0.2:
                b.add("    @staticmethod")
                ps = self.params(1)
                b.add(f"    def {snake(camel(pick(r, VERBS), pick(r, NOUNS)))}_{r.randint(1, 99)}({self.sig(ps)}) -> str:")
                b.add(f'        return f"{{{ps[0]}!s}}:{pick(r, STATUSES)}"')
                continue
            is_async = r.random() < 0.4
            ps = self.params(r.randint(1, 2))
            lst = plural(self.noun)
            sc = Scope(r, ps + ["self"], [lst], is_async=is_async)
            sc.dicts = set()
            m = snake(camel(pick(r, VERBS), pick(r, [self.Noun, "All", "Many", "Batch"])))
            b.add(f"    {'async ' if is_async else ''}def {m}({self.sig(ps, self_=True)}) -> {pick(r, ['None', 'list[Any]', 'int', 'dict[str, Any]'])}:")
            b.add(f'        {lst} = self._cache.get("{self.noun}") or []')
            b.extend(self.stmts(sc, r.randint(2, 6)), "        ")
            b.add(f"        return {pick(r, sc.vars[:-1] + sc.lists)}")
        b.add("")
        b.add("")
        return b

    def u_context(self):
        r = self.r
        b = Block()
        name = self.uniq(snake(camel(pick(r, ["timed", "locked", "scoped"]), self.Noun)))
        b.add("@contextmanager")
        b.add(f"def {name}(label: str, *, threshold: float = 0.5) -> Iterator[None]:")
        b.add("    started = time.perf_counter()")
        b.add("    try:")
        b.add("        yield")
        b.add("    finally:")
        b.add("        elapsed = time.perf_counter() - started")
        b.add("        if elapsed > threshold:")
        b.add('            logger.warning("%s took %.3fs", label, elapsed)')
        b.add("")
        b.add("")
        return b

    # ---- Amplitude -------------------------------------------------------
    def amp_props(self, sc, indent):
        r = self.r
        fields = r.sample(FIELDS, r.randint(1, 4))
        if r.random() < 0.4:
            return ["{" + ", ".join(f'"{snake(f)}": {self.member(sc)}' for f in fields[:2]) + "}"]
        lines = ["{"]
        for f in fields:
            lines.append(f'{indent}    "{snake(f)}": {self.member(sc)},')
        lines.append(f"{indent}}}")
        return lines

    def amp_track(self, client, sc, indent, noun=None, event=None):
        """Lines + site info for one direct client.track(BaseEvent(...)) call."""
        r = self.r
        ev = event or snake(camel(noun or self.noun, pick(r, PAST)))
        v = sc.vars[0]
        uid = "user_id" if "user_id" in sc.vars else pick(r, [f"str({v}.id)", f"{v}.user_id", f"str({v}.owner_id)"])
        kws = [("event_type", f'"{ev}"'), ("user_id", uid)]
        if r.random() < 0.8:
            kws.append(("event_properties", None))
        if r.random() < 0.15:
            r.shuffle(kws)
        site = {"kind": "py_track", "track": True, "narrow": True, "event": ev}
        if r.random() < 0.35:
            # one line: client.track(BaseEvent(event_type="x", user_id=uid, event_properties={...}))
            parts = []
            for k, v in kws:
                if v is None:
                    v = "{" + ", ".join(f'"{snake(f)}": {self.member(sc)}' for f in r.sample(FIELDS, r.randint(1, 2))) + "}"
                parts.append(f"{k}={v}")
            return [f"{client}.track(BaseEvent({', '.join(parts)}))"], site
        # black-style, one keyword per line
        lines = [f"{client}.track(", f"{indent}    BaseEvent("]
        for k, v in kws:
            if v is None:
                props = self.amp_props(sc, indent + "        ")
                if len(props) == 1:
                    lines.append(f"{indent}        {k}={props[0]},")
                else:
                    lines.append(f"{indent}        {k}={props[0]}")
                    lines.extend(props[1:])
                    lines[-1] += ","
            else:
                lines.append(f"{indent}        {k}={v},")
        lines.append(f"{indent}    )")
        lines.append(f"{indent})")
        return lines, site

    def u_amp(self, client_mode):
        r = self.r
        b = Block()
        shape = r.random()
        if client_mode == "self":
            # service class that owns an Amplitude client
            name = self.uniq(pascal(self.noun, "Analytics"))
            b.add(f"class {name}:")
            b.add("    def __init__(self, api_key: str = AMPLITUDE_API_KEY) -> None:")
            b.add("        self.amplitude = Amplitude(api_key)", {"kind": "py_init", "track": False, "narrow": False})
            for _ in range(r.randint(1, 3)):
                noun = pick(r, NOUNS)
                past = pick(r, PAST)
                m = self.uniq(snake(camel("track", noun, past)))
                b.add("")
                b.add(f"    def {m}(self, {noun}: Any, **extra: Any) -> None:")
                sc = Scope(r, [noun], [])
                sc.dicts = set()
                lines, site = self.amp_track("self.amplitude", sc, "        ", noun=noun, event=snake(camel(noun, past)))
                b.add_lines(["        " + lines[0]] + lines[1:], site)
            if r.random() < 0.3:
                b.add("")
                b.add("    def close(self) -> None:")
                b.add("        self.amplitude.flush()", {"kind": "py_flush", "track": False, "narrow": False})
                b.add("        self.amplitude.shutdown()", {"kind": "py_shutdown", "track": False, "narrow": False})
            b.add("")
            b.add("")
            return b
        client = self.amp_client
        if shape < 0.4:
            for _ in range(r.randint(1, 3)):
                noun = pick(r, NOUNS)
                past = pick(r, PAST)
                name = self.uniq(snake(camel("track", noun, past)))
                b.add(f"def {name}({noun}: Any, user_id: str) -> None:")
                sc = Scope(r, [noun, "user_id"], [])
                sc.dicts = set()
                lines, site = self.amp_track(client, sc, "    ", noun=noun, event=snake(camel(noun, past)))
                b.add_lines(["    " + lines[0]] + lines[1:], site)
                b.add("")
                b.add("")
        elif shape < 0.7:
            name = self.uniq(snake(camel(pick(r, VERBS), self.Noun, "with_tracking")))
            ps = self.params(r.randint(1, 2))
            sc = Scope(r, ps, [plural(self.noun)])
            sc.dicts = set()
            b.add(f"def {name}({self.sig(ps)}) -> None:")
            b.add(f"    {plural(self.noun)} = list(repository.iter_{plural(self.noun)}({ps[0]}))")
            b.extend(self.stmts(sc, r.randint(1, 3)), "    ")
            lines, site = self.amp_track(client, sc, "    ")
            b.add_lines(["    " + lines[0]] + lines[1:], site)
            if r.random() < 0.4:
                # event built first, tracked later (indirect)
                ev = snake(camel(self.noun, pick(r, PAST)))
                b.add("    event = BaseEvent(")
                b.add(f'        event_type="{ev}",')
                b.add(f"        user_id=str({ps[0]}.id),")
                b.add(f'        event_properties={{"count": len({plural(self.noun)})}},')
                b.add("    )")
                b.add(f"    {client}.track(event)", {"kind": "py_track_indirect", "track": True, "narrow": False, "event": ev})
            b.add("")
            b.add("")
        else:
            name = self.uniq(snake(camel("identify", self.Noun)))
            b.add(f"def {name}(user: Any) -> None:")
            b.add("    identify_obj = Identify()")
            b.add(f'    identify_obj.set("plan", user.plan)')
            if r.random() < 0.5:
                b.add(f'    identify_obj.set("{pick(r, ["role", "locale", "company", "seats"])}", getattr(user, "{pick(r, ["role", "locale"])}", None))')
            b.add(f"    {client}.identify(identify_obj, EventOptions(user_id=str(user.id)))",
                  {"kind": "py_identify", "track": False, "narrow": False})
            sc = Scope(r, ["user"], [])
            sc.dicts = set()
            lines, site = self.amp_track(client, sc, "    ")
            b.add_lines(["    " + lines[0]] + lines[1:], site)
            b.add("")
            b.add("")
        return b

    def u_decoy(self):
        r = self.r
        b = Block()
        x = r.random()
        if x < 0.4:
            name = self.uniq(snake(camel("track", self.Noun, "segment")))
            b.add(f"def {name}({self.noun}: Any) -> None:")
            b.add(f'    analytics.track(str({self.noun}.id), "{event_name(r, self.noun)}", {{"plan": {self.noun}.plan}})')
        elif x < 0.7:
            name = self.uniq(snake(camel("peak", "amplitude")))
            b.add(f"def {name}(samples: list[float], gain: float = 1.0) -> float:")
            b.add('    """Peak amplitude of an audio frame."""')
            b.add("    amplitude = max((abs(s) * gain for s in samples), default=0.0)")
            b.add("    return amplitude")
        else:
            name = self.uniq(snake(camel("emit", self.Noun)))
            b.add("# Amplitude was removed here in favour of the internal event bus.")
            b.add(f"def {name}(tracker: Any, {self.noun}: Any) -> None:")
            b.add(f'    tracker.track(BaseEvent(event_type="{snake(camel(self.noun, pick(r, PAST)))}", user_id=str({self.noun}.id)))')
        b.add("")
        b.add("")
        return b

    def module(self, target_lines, amp_mode=None, decoy=False):
        r = self.r
        head = Block()
        if r.random() < 0.6:
            head.add(f'"""{cap(self.noun)} {pick(r, ["handling", "service layer", "helpers", "tasks", "API routes"])} for {self.pkg}."""')
            head.add("")
        head.add("from __future__ import annotations")
        head.add("")
        head.add("import logging")
        for imp in sorted(r.sample(PY_STDLIB, r.randint(2, 6))):
            head.add(imp)
        head.add("from dataclasses import dataclass, field")
        head.add("from typing import Any, Generic, Iterator, Optional, TypeVar")
        head.add("")
        for imp in sorted(r.sample(PY_THIRD, r.randint(1, 3))):
            head.add(imp)
        if amp_mode:
            head.add("from amplitude import Amplitude, BaseEvent, EventOptions, Identify")
        head.add("")
        head.add(f"from {self.pkg}.config import settings")
        head.add(f"from {self.pkg}.db import repository, session")
        if amp_mode:
            head.add(f"from {self.pkg}.config import AMPLITUDE_API_KEY")
        if decoy:
            head.add(f"from {self.pkg}.telemetry import analytics")
            head.add("from our_events import BaseEvent  # noqa: F811")
        head.add(f"from {self.pkg}.utils import fetch_all, http, lock, timer, router, BaseService")
        head.add("")
        head.add('T = TypeVar("T")')
        units = [self.u_constants()]
        if amp_mode == "module":
            units[0].add(f"{self.amp_client} = Amplitude(AMPLITUDE_API_KEY)", {"kind": "py_init", "track": False, "narrow": False})
            units[0].add("")
            units[0].add("")
        if r.random() < 0.4:
            units.append(self.u_enum())
        if r.random() < 0.6:
            units.append(self.u_dataclass())
        total = len(head) + sum(len(u) for u in units)
        makers = [self.u_function, self.u_class, self.u_dataclass, self.u_context]
        weights = [6, 3, 1, 0.5]
        body = []
        guard = 0
        while total < target_lines and guard < 60:
            guard += 1
            u = r.choices(makers, weights)[0]()
            body.append(u)
            total += len(u)
        if amp_mode:
            for _ in range(r.randint(1, 3) if amp_mode == "module" else 1):
                body.insert(r.randint(0, len(body)), self.u_amp(amp_mode))
        if decoy:
            body.insert(r.randint(0, len(body)), self.u_decoy())
        out = Block()
        out.extend(head)
        out.add("")
        out.add("")
        for u in units + body:
            out.extend(u)
        if r.random() < 0.2:
            out.add('if __name__ == "__main__":')
            out.add("    logging.basicConfig(level=logging.INFO)")
            fns = [n for n in sorted(self.top) if n.islower()]
            out.add(f"    print({pick(r, fns) if fns else 'MAX_BATCH'})")
        while out.lines and out.lines[-1] == "":
            out.lines.pop()
        return out


# --------------------------------------------------------------------------
# vendor (ignored) files
# --------------------------------------------------------------------------
NPM_PKGS = [
    "react", "react-dom", "scheduler", "lodash-es", "axios", "date-fns", "clsx", "zod",
    "uuid", "@tanstack/react-query", "react-router-dom", "@babel/runtime", "tslib",
    "prop-types", "qs", "follow-redirects", "form-data", "mime-types", "immer",
    "@remix-run/router", "use-sync-external-store", "@acme/ui", "@acme/icons",
    "eventemitter3", "nanoid", "picomatch", "semver", "debug", "ms", "chalk",
    "@amplitude/analytics-browser", "@amplitude/analytics-core",
    "@amplitude/analytics-types", "amplitude-js", "@acme/analytics-adapter",
]


def vendor_js(rng, pkg, idx):
    """A CommonJS file of a dependency.  Analytics adapters contain Amplitude calls."""
    g = JsGen(rng, ts=False, jsx=False)
    b = Block()
    b.add("'use strict';")
    b.add("")
    b.add("Object.defineProperty(exports, '__esModule', { value: true });")
    b.add("")
    body = g.module(rng.randint(20, 160))
    # drop ESM import lines (node_modules ship CJS), keep the code
    for ln in body.lines:
        if ln.startswith("import "):
            continue
        if ln.startswith("export default "):
            continue
        if ln.startswith("export "):
            ln = ln[len("export "):]
        b.add(ln)
    if pkg in ("amplitude-js", "@amplitude/analytics-browser", "@acme/analytics-adapter") and idx % 3 == 0:
        b.add("")
        b.add("function forwardEvent(amplitude, name, props) {")
        b.add("  if (amplitude.getInstance) {")
        b.add("    amplitude.getInstance().logEvent(name, props);")
        b.add("  } else {")
        b.add("    amplitude.track(name, props);")
        b.add("  }")
        b.add("}")
        b.add("exports.forwardEvent = forwardEvent;")
    return b.lines


def vendor_dts(rng, pkg):
    lines = []
    for _ in range(rng.randint(5, 60)):
        n = camel(pick(rng, VERBS), cap(pick(rng, NOUNS)))
        lines.append(f"export declare function {n}(input: {pick(rng, ['string', 'number', 'Record<string, unknown>'])}, options?: {{ signal?: AbortSignal }}): Promise<void>;")
    return lines


def vendor_py(rng, pkg):
    g = PyGen(rng, pkg.replace("-", "_"))
    return g.module(rng.randint(40, 250)).lines


# --------------------------------------------------------------------------
# tree layout
# --------------------------------------------------------------------------
JS_DIRS = ["components", "pages", "hooks", "lib", "store", "api", "utils", "features", "widgets"]
PY_PKGS = ["billing", "accounts", "catalog", "notifications", "reporting", "ingest", "search", "scheduler"]


# folder names that the tree's own .gitignore would hide
DIR_NOUNS = [n for n in NOUNS if n not in ("build", "dist", "coverage")]


def make_dirs(rng, lang, n_files):
    n_dirs = max(1, n_files // 30)
    dirs = []
    seen = set()
    while len(dirs) < n_dirs:
        if lang == "py":
            svc = pick(rng, PY_PKGS)
            d = f"services/{svc}/{svc}/{pick(rng, ['api', 'domain', 'tasks', 'adapters', 'models', 'handlers'])}/{pick(rng, DIR_NOUNS)}"
        else:
            app = pick(rng, ["apps/web", "apps/admin", "apps/mobile-web", "packages/ui", "packages/shared", "packages/sdk"])
            d = f"{app}/src/{pick(rng, JS_DIRS)}/{pick(rng, DIR_NOUNS)}"
        if d in seen:
            d = f"{d}-{len(dirs)}"
        seen.add(d)
        dirs.append(d)
    return dirs


def target_length(rng):
    # mostly 80-220 lines, some long ones, within 50..400
    x = rng.random()
    if x < 0.6:
        return rng.randint(50, 180)
    if x < 0.9:
        return rng.randint(150, 300)
    return rng.randint(280, 400)


def parse_mix(s):
    parts = [p.strip() for p in s.split(",") if p.strip()]
    out = {}
    if all("=" in p for p in parts):
        for p in parts:
            k, v = p.split("=", 1)
            out[k.strip()] = float(v)
    elif len(parts) == 3:
        out = dict(zip(["js", "ts", "py"], (float(p) for p in parts)))
    else:
        raise SystemExit("--mix: use js=0.35,ts=0.4,py=0.25 or 35,40,25")
    for k in out:
        if k not in ("js", "ts", "py"):
            raise SystemExit(f"--mix: unknown language {k!r}")
    tot = sum(out.values())
    if tot <= 0:
        raise SystemExit("--mix: proportions must sum to > 0")
    return {k: out.get(k, 0.0) / tot for k in ("js", "ts", "py")}


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines))
        fh.write("\n")


GITIGNORE = """# dependencies
node_modules/
.venv/
__pycache__/
*.pyc

# build output
dist/
build/
coverage/
.next/

# misc
.DS_Store
*.log
.env.local
"""


def write_git_stub(out):
    """The files `git init` writes that make a folder a repository."""
    g = os.path.join(out, ".git")
    for d in ("objects/info", "objects/pack", "refs/heads", "refs/tags", "info"):
        os.makedirs(os.path.join(g, d), exist_ok=True)
    write(os.path.join(g, "HEAD"), ["ref: refs/heads/main"])
    write(os.path.join(g, "config"), ["[core]", "\trepositoryformatversion = 0", "\tfilemode = true",
                                      "\tbare = false", "\tlogallrefupdates = true"])
    write(os.path.join(g, "description"), ["Synthetic benchmark tree."])
    write(os.path.join(g, "info", "exclude"), ["# git ls-files --others --exclude-from=.git/info/exclude"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, required=True, help="number of source files outside ignored folders")
    ap.add_argument("--amp-ratio", type=float, default=0.02, help="fraction of source files that use Amplitude (default 0.02)")
    ap.add_argument("--out", required=True, help="output folder (must not exist, or be empty, unless --force)")
    ap.add_argument("--mix", default="js=0.35,ts=0.40,py=0.25", help="language proportions js,ts,py (default js=0.35,ts=0.40,py=0.25)")
    ap.add_argument("--vendor-files", type=int, default=None, help="files in ignored node_modules/ and .venv/ (default: files/2)")
    ap.add_argument("--decoy-ratio", type=float, default=0.03, help="fraction of non-Amplitude files with look-alike code (default 0.03)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--truth", default=None, help="ground-truth JSON path (default: OUT.truth.json, beside the tree)")
    ap.add_argument("--no-git", action="store_true", help="do not write the minimal .git folder")
    ap.add_argument("--force", action="store_true", help="delete OUT first if it exists")
    a = ap.parse_args(argv)

    out = os.path.abspath(a.out)
    truth_path = os.path.abspath(a.truth) if a.truth else out.rstrip("/") + ".truth.json"
    if truth_path.startswith(out + os.sep):
        raise SystemExit("--truth must be outside the tree")
    if os.path.exists(out) and os.listdir(out):
        if not a.force:
            raise SystemExit(f"{out} exists and is not empty (use --force)")
        shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)

    mix = parse_mix(a.mix)
    n = a.files
    n_js = round(n * mix["js"])
    n_ts = round(n * mix["ts"])
    n_py = n - n_js - n_ts
    if n_py < 0:
        n_ts += n_py
        n_py = 0
    vendor = a.vendor_files if a.vendor_files is not None else n // 2

    master = Random(f"{a.seed}:layout")
    langs = ["js"] * n_js + ["ts"] * n_ts + ["py"] * n_py
    master.shuffle(langs)
    n_amp = round(n * a.amp_ratio)
    amp_idx = set(master.sample(range(n), n_amp)) if n_amp else set()
    others = [i for i in range(n) if i not in amp_idx]
    decoy_idx = set(master.sample(others, min(len(others), round(n * a.decoy_ratio))))
    dirs = {lang: make_dirs(master, lang, langs.count(lang)) for lang in ("js", "ts", "py")}
    used = set()

    sites = []
    amp_files = []
    decoy_files = []
    n_lines = 0
    n_bytes = 0
    counts = {"js": 0, "jsx": 0, "ts": 0, "tsx": 0, "py": 0}
    for i, lang in enumerate(langs):
        rng = Random(f"{a.seed}:file:{i}")
        d = pick(rng, dirs[lang])
        is_amp = i in amp_idx
        is_decoy = i in decoy_idx
        if lang == "py":
            ext = "py"
            g = PyGen(rng, d.split("/")[1])
            amp_mode = None
            if is_amp:
                amp_mode = "module" if rng.random() < 0.7 else "self"
            blk = g.module(target_length(rng), amp_mode=amp_mode, decoy=is_decoy)
            stem = snake(camel(g.noun, pick(rng, ["service", "models", "tasks", "views", "handlers", "utils", "schemas", "repository", "client"])))
        else:
            is_ts = lang == "ts"
            section = d.split("/")[3]
            jsx = section in ("components", "pages", "widgets", "features") and rng.random() < 0.75
            role = "component" if jsx else ("hook" if section == "hooks" else "lib")
            ext = ("tsx" if jsx else "ts") if is_ts else ("jsx" if jsx and rng.random() < 0.5 else "js")
            if ext == "js" and jsx:
                pass  # JSX inside .js files is common in CRA-style apps
            depth = d.count("/") - 2
            g = JsGen(rng, ts=is_ts, jsx=jsx, depth_path=max(1, depth))
            flavor = None
            if is_amp:
                x = rng.random()
                flavor = "browser" if x < 0.5 else ("legacy" if x < 0.85 else "named")
            blk = g.module(target_length(rng), amp_flavor=flavor, decoy=is_decoy, role=role)
            base = pascal(g.noun, pick(rng, ["List", "Panel", "View", "Card", "Form"])) if jsx else camel(g.noun, pick(rng, ["Service", "Api", "Store", "Utils", "Helpers", "Client", "State"]))
            if role == "hook":
                base = camel("use", g.Noun, pick(rng, ["", "Query", "State"]))
            stem = base
        rel = f"{d}/{stem}.{ext}"
        k = 2
        while rel in used:
            rel = f"{d}/{stem}{k}.{ext}"
            k += 1
        used.add(rel)
        counts[ext] += 1
        write(os.path.join(out, rel), blk.lines)
        n_lines += len(blk.lines)
        n_bytes += sum(len(x) + 1 for x in blk.lines)
        if is_amp:
            amp_files.append(rel)
        if is_decoy:
            decoy_files.append(rel)
        for idx, info in blk.sites:
            s = {"file": rel, "line": idx + 1, "end_line": idx + info.get("span", 1)}
            s.update({k2: v for k2, v in info.items() if k2 != "span"})
            s["lang"] = "py" if ext == "py" else ("ts" if ext in ("ts", "tsx") else "js")
            sites.append(s)

    # repository furniture
    write(os.path.join(out, ".gitignore"), GITIGNORE.rstrip("\n").split("\n"))
    write(os.path.join(out, "package.json"), json.dumps({
        "name": "acme-monorepo", "private": True, "workspaces": ["apps/*", "packages/*"],
        "dependencies": {"@amplitude/analytics-browser": "^2.11.0", "amplitude-js": "^8.21.9",
                         "react": "^18.3.1", "axios": "^1.7.2", "date-fns": "^3.6.0"},
        "devDependencies": {"typescript": "^5.5.4"}}, indent=2).split("\n"))
    write(os.path.join(out, "tsconfig.json"), json.dumps({"compilerOptions": {
        "target": "ES2022", "module": "ESNext", "jsx": "react-jsx", "strict": True,
        "moduleResolution": "bundler"}, "include": ["apps", "packages"]}, indent=2).split("\n"))
    write(os.path.join(out, "pyproject.toml"), ["[project]", 'name = "acme-services"', 'version = "0.1.0"',
                                                'dependencies = ["amplitude-analytics>=1.1", "fastapi", "httpx"]'])
    write(os.path.join(out, "README.md"), ["# acme", "", "Synthetic tree for codemod benchmarks."])
    if not a.no_git:
        write_git_stub(out)

    # vendor folders (ignored by .gitignore)
    vr = Random(f"{a.seed}:vendor")
    n_venv = vendor // 20
    n_nm = vendor - n_venv
    vendor_amp_sites = 0
    for j in range(n_nm):
        rng = Random(f"{a.seed}:nm:{j}")
        pkg = NPM_PKGS[j % len(NPM_PKGS)]
        sub = pick(rng, ["lib", "dist", "esm", "cjs", "lib/internal", "dist/utils"])
        if rng.random() < 0.15:
            lines = vendor_dts(rng, pkg)
            name = f"{camel(pick(rng, NOUNS), pick(rng, ['types', 'index', 'api']))}{j}.d.ts"
        else:
            lines = vendor_js(rng, pkg, j)
            name = f"{camel(pick(rng, VERBS), pick(rng, NOUNS))}{j}.js"
            vendor_amp_sites += sum(1 for ln in lines if "amplitude.track(" in ln or ".logEvent(name" in ln)
        write(os.path.join(out, "node_modules", pkg, sub, name), lines)
    for pkg in NPM_PKGS:
        write(os.path.join(out, "node_modules", pkg, "package.json"),
              json.dumps({"name": pkg, "version": f"{vr.randint(1, 9)}.{vr.randint(0, 20)}.{vr.randint(0, 9)}", "main": "lib/index.js"}).split("\n"))
    # node-gyp ships Python
    for j in range(max(1, n_venv // 5)):
        rng = Random(f"{a.seed}:gyp:{j}")
        write(os.path.join(out, "node_modules", "node-gyp", "gyp", "pylib", "gyp", f"{pick(rng, VERBS)}_{j}.py"), vendor_py(rng, "gyp"))
    for j in range(n_venv - max(1, n_venv // 5)):
        rng = Random(f"{a.seed}:venv:{j}")
        pkg = pick(rng, ["amplitude", "httpx", "pydantic", "fastapi", "sqlalchemy", "starlette", "anyio", "idna"])
        write(os.path.join(out, ".venv", "lib", "python3.11", "site-packages", pkg, f"{pick(rng, NOUNS)}_{j}.py"), vendor_py(rng, pkg))

    by_kind = {}
    for s in sites:
        by_kind[s["kind"]] = by_kind.get(s["kind"], 0) + 1
    truth = {
        "generator": "gen_tree.py",
        "params": {"files": n, "amp_ratio": a.amp_ratio, "mix": mix, "seed": a.seed,
                   "vendor_files": vendor, "decoy_ratio": a.decoy_ratio},
        "source_files": n,
        "source_lines": n_lines,
        "source_bytes": n_bytes,
        "files_by_ext": counts,
        "ignored_dirs": ["node_modules", ".venv"],
        "vendor_files": vendor,
        "vendor_amplitude_call_sites": vendor_amp_sites,
        "amp_files": sorted(amp_files),
        "decoy_files": sorted(decoy_files),
        "summary": {
            "sites": len(sites),
            "track_sites": sum(1 for s in sites if s["track"]),
            "narrow_track_sites": sum(1 for s in sites if s["narrow"]),
            "by_kind": dict(sorted(by_kind.items())),
        },
        "sites": sorted(sites, key=lambda s: (s["file"], s["line"])),
    }
    with open(truth_path, "w", encoding="utf-8") as fh:
        json.dump(truth, fh, indent=1, sort_keys=False)
        fh.write("\n")
    print(f"wrote {n} source files ({n_lines} lines, {n_bytes / 1e6:.1f} MB), {vendor} ignored vendor files, "
          f"{len(amp_files)} Amplitude files with {len(sites)} call sites "
          f"({truth['summary']['track_sites']} tracking) -> {out}; truth: {truth_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
