"""Reports for review: JSON (the schema-v1 contract in `codemod.report`), Markdown, SARIF.

Each renderer is a pure function of the run's results (and, for SARIF's fixes, the original
bytes of the changed files); only `write_report` touches the disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..catalogue import Catalogue
from ..report import build_report, to_json
from ..results import FileResult
from .markdown import render_markdown
from .sarif import render_sarif

_SUFFIXES = {".json": "json", ".md": "md", ".markdown": "md", ".sarif": "sarif"}


class ReportError(ValueError):
    """The report's format cannot be told from its name."""


def report_format_for(path: str, explicit: str | None) -> str:
    """`--report-format` when given, else the suffix: `.sarif.json` is SARIF, as GitHub names it."""
    if explicit:
        return explicit
    name = path.lower()
    if name.endswith(".sarif.json"):
        return "sarif"
    fmt = _SUFFIXES.get(Path(name).suffix)
    if fmt is None:
        raise ReportError(
            f"cannot tell the format of {path!r} from its suffix: use .json, .md or .sarif, "
            "or --report-format json|md|sarif"
        )
    return fmt


def render(
    fmt: str, results: list[FileResult], catalogue: Catalogue, originals: Mapping[str, bytes]
) -> str:
    if fmt == "md":
        return render_markdown(results, catalogue)
    if fmt == "sarif":
        return render_sarif(results, catalogue, originals)
    return to_json(build_report(results, catalogue))


def write_report(
    path: Path, fmt: str, results: list[FileResult], catalogue: Catalogue,
    originals: Mapping[str, bytes],
) -> None:
    path.write_text(render(fmt, results, catalogue, originals), encoding="utf-8")
