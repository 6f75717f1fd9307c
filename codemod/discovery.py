"""Which files a run looks at.

Directories are walked the way git sees them (`git ls-files --cached --others
--exclude-standard` inside a work tree, so nested `.gitignore` files, `info/exclude` and the
global excludes all apply), and with `pathspec` over the `.gitignore` files found on the way
elsewhere. Dependency and tool folders are never entered, ignored or not: a wrong rewrite of
vendored Amplitude code is the most common damage peers do.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import JS_SUFFIXES, LANGUAGES

if TYPE_CHECKING:  # imported when a walk needs it: a git work tree never does
    import pathspec

SUFFIXES = frozenset((*LANGUAGES, *JS_SUFFIXES))
NEVER_ENTER = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox",
     ".mypy_cache", ".ruff_cache", ".pytest_cache", "site-packages", "bower_components"}
)


def wanted(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in SUFFIXES


def _never_entered(parts: tuple[str, ...]) -> bool:
    return any(part in NEVER_ENTER or part.endswith(".egg-info") for part in parts)


def _git_files(root: Path) -> list[str] | None:
    """Files git would consider part of the tree, relative to `root`, or None outside a work
    tree. Only the ones the tool handles, outside the folders it never enters, are kept.

    Works on the strings git printed: building a `Path` per listed file, and `relative_to` /
    `.parts` on it, cost more than the rest of discovery on a large tree.
    """
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        listing = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
             "--exclude-standard", "--", "."],
            capture_output=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    if not top:
        return None
    kept = []
    entered: dict[str, bool] = {}  # per folder: outside every folder the tool never enters
    for relative in os.fsdecode(listing).split("\0"):
        start = relative.rfind("/") + 1  # the file name's
        dot = relative.rfind(".")
        if dot <= start or relative[start] == ".":  # no suffix, or a dot file: ask splitext
            if os.path.splitext(relative)[1].lower() not in SUFFIXES:
                continue
        elif relative[dot:].lower() not in SUFFIXES:
            continue
        folder = relative[:start]
        if folder not in entered:
            entered[folder] = not _never_entered(tuple(folder.split("/")))
        if entered[folder]:
            kept.append(relative)
    return kept


def git_ignored(path: str) -> bool:
    """Whether git ignores `path` itself (a tracked file never is); False outside a work tree."""
    absolute = os.path.abspath(path)
    try:
        found = subprocess.run(
            ["git", "-C", os.path.dirname(absolute), "check-ignore", "-q", "--", absolute],
            capture_output=True, check=False,
        )
    except OSError:
        return False
    return found.returncode == 0


def _walk_with_gitignore(root: Path, respect_gitignore: bool = True) -> Iterator[Path]:
    import pathspec

    specs: list[tuple[Path, pathspec.PathSpec]] = []
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        ignore_file = here / ".gitignore"
        if respect_gitignore and ignore_file.is_file():
            lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
            specs.append((here, pathspec.GitIgnoreSpec.from_lines(lines)))
        active = [(base, spec) for base, spec in specs if here == base or base in here.parents]

        def ignored(path: Path, is_dir: bool, active=active) -> bool:
            for base, spec in active:
                rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
                if spec.match_file(rel):
                    return True
            return False

        dirnames[:] = sorted(
            d for d in dirnames
            if d not in NEVER_ENTER and not d.endswith(".egg-info")
            and not ignored(here / d, True)
        )
        for name in sorted(filenames):
            path = here / name
            if wanted(name) and not ignored(path, False):
                yield path


def discover(paths: list[str], respect_gitignore: bool = True) -> list[str]:
    """Every candidate file under `paths`, normalised, sorted and without duplicates.

    A file named explicitly is taken as given (pre-commit passes file names), as long as the
    tool handles its suffix; so is a directory named explicitly that git ignores (ruff's and
    ast-grep's rule: what the user names is processed), walked with the `.gitignore` files
    inside it. Without `respect_gitignore` no `.gitignore` applies anywhere. Paths stay
    strings: a `Path` per file costs more than git's whole listing on a large tree.
    """
    found: dict[str, str] = {}  # normalised -> as pathlib would spell it (`..` kept)
    for raw in paths:
        path = Path(raw)
        if path.is_file() or (path.is_symlink() and not path.is_dir()):
            if wanted(path.name):
                found.setdefault(os.path.normpath(raw), str(path))
            continue
        if not path.is_dir():
            continue
        listed = _git_files(path) if respect_gitignore else None
        if listed is not None and not listed and git_ignored(raw):
            listed = None  # named explicitly: walked even though git ignores it
        if listed is None:
            for file in _walk_with_gitignore(path, respect_gitignore):
                found.setdefault(os.path.normpath(file), str(file))
            continue
        base = str(path)
        if os.sep != "/" or os.altsep:
            for relative in listed:
                spelled = relative if base == os.curdir else os.path.join(base, relative)
                found.setdefault(os.path.normpath(spelled), spelled)
            continue
        # git prints neither `.` nor `..` components, so only the base needs normalising.
        spelled_base = "" if base == os.curdir else with_sep(base)
        normal_base = os.path.normpath(base)
        key_base = "" if normal_base == os.curdir else with_sep(normal_base)
        for relative in listed:
            found.setdefault(key_base + relative, spelled_base + relative)
    return [found[key] for key in sorted(found)]


class Listing:
    """One run's discovery, reused for any folder inside the folders it walked.

    The manifests planning asks which files of a project still import Amplitude; when the
    run already walked that project, its files are the run's own listing under the folder
    (and any `.gitignore` above the folder still applies), not a second walk of the tree.
    """

    def __init__(self, paths: list[str], respect_gitignore: bool = True) -> None:
        self.files = discover(paths, respect_gitignore)
        self._walked = [with_sep(os.path.abspath(p)) for p in paths if os.path.isdir(p)]

    def under(self, directory: str | Path) -> list[str]:
        """Every candidate file below `directory`, in discovery order."""
        prefix = with_sep(os.path.abspath(directory))
        if not any(prefix.startswith(root) for root in self._walked):
            return discover([str(directory)])
        absolute: dict[str, str] = {}
        found = []
        for file in self.files:
            folder = split_path(file)[0]
            if folder not in absolute:
                absolute[folder] = with_sep(os.path.abspath(folder or os.curdir))
            if absolute[folder].startswith(prefix):
                found.append(file)
        return found


def why_nothing(paths: list[str], found_without_config: int) -> str:
    """Why a run over `paths` selected no file, and what would select some."""
    if found_without_config:
        return (f"{found_without_config} supported file(s) are excluded by the configuration's "
                "include/exclude; name them, or change the configuration")
    hidden = discover(paths, respect_gitignore=False)
    if hidden:
        shown = ", ".join(f"`{path}`" for path in paths)
        return (f"everything under {shown} ({len(hidden)} supported file(s)) is ignored by "
                ".gitignore; name files or pass --no-respect-gitignore")
    return ("no supported file (" + " ".join(sorted(SUFFIXES)) + ") under "
            + ", ".join(f"`{path}`" for path in paths)
            + " outside the folders never entered (.git, node_modules, virtualenvs, ...)")


def with_sep(path: str) -> str:
    """`path` ending with one separator: the prefix a name is appended to."""
    return path if path.endswith(os.sep) else path + os.sep


def split_path(path: str) -> tuple[str, str]:
    """`os.path.split`, at the cost of one `str.rpartition` for the usual relative path."""
    head, sep, name = path.rpartition(os.sep)
    if os.altsep or not sep or not head or head.endswith(os.sep) or not name:
        return os.path.split(path)
    return head, name


def display_path(path: str | Path) -> str:
    """How a run shows a path: relative to the working directory where it can be."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


class PathNames:
    """`os.path.realpath` and `os.path.relpath` per folder, not per file.

    Both are pure Python and cost one `lstat` per path component; a tree has a hundred times
    fewer folders than files. A file that is not itself a link resolves to its resolved
    folder plus its name. The runner keys each file by this resolved path (`Job.real`), and
    the manifests planning must find those keys again: both ask this class.
    """

    def __init__(self) -> None:
        # Per folder, the prefixes a file's name is appended to (separator included): the
        # resolved one, and the displayed one (None when relpath cannot express it).
        self.dirs: dict[str, tuple[str, str | None]] = {}

    def of(self, path: str, is_link: bool = False) -> tuple[str, str]:
        """(display, real) of a listed path."""
        folder, name = split_path(path)
        prefixes = self.dirs.get(folder)
        if prefixes is None:
            try:
                shown = os.path.relpath(folder or os.curdir)
                display: str | None = "" if shown == os.curdir else with_sep(shown)
            except ValueError:  # another drive on Windows
                display = None
            real = with_sep(os.path.realpath(folder or os.curdir))
            prefixes = self.dirs[folder] = (real, display)
        if not name or name in (os.curdir, os.pardir):
            return display_path(path), os.path.realpath(path)
        return (display_path(path) if prefixes[1] is None else prefixes[1] + name,
                os.path.realpath(path) if is_link else prefixes[0] + name)
