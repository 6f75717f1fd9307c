"""The command line: a thin click layer over discovery, the runner and the reports.

`amp2mp-codemod` is a group whose default command is the migration, so `amp2mp-codemod --diff
./src` works as typed, next to `amp2mp-codemod rules` and `amp2mp-codemod explain ID` (ruff's
`ruff rule CODE`). Exit codes follow black and pre-commit: 0 nothing to change, 1 changes
needed (`--diff`, `--check`) or made (`--write`) or, with `--check`, Amplitude still
referenced, 2 usage or configuration error, 123 a file could not be processed, 130
interrupted. What to print, check and write is decided in the runner, config, leftovers,
formats and report modules; this one parses flags and wires them together.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, gitstate
from .options import Options

if TYPE_CHECKING:  # `--version` and `--help` import none of these; a run imports what it uses
    from collections.abc import Callable

    from .cache import ResultCache
    from .catalogue import Catalogue
    from .console import Output
    from .leftovers import Remaining
    from .manifests import ManifestChange
    from .results import FileResult
    from .runner import Job

EXIT_CLEAN, EXIT_CHANGES, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 123
DEFAULT_COMMAND = "migrate"

EPILOG = """\b
Examples:
  amp2mp-codemod --diff ./src                 review the patch (writes nothing)
  amp2mp-codemod --diff ./src | git apply     apply it through git
  amp2mp-codemod --write --report r.json .    rewrite in place, keep a JSON report
  amp2mp-codemod --check .                    CI: exit 1 while anything is left to migrate
  amp2mp-codemod --report pr.md --diff .      a pull-request description to review with
  amp2mp-codemod rules                        every rule: id, SDK, calls, safety
  amp2mp-codemod explain AP02                 one rule's or caveat's documentation

\b
Exit codes: 0 nothing to change, 1 changes needed or made (or, with --check, Amplitude
left), 2 usage or configuration error, 123 a file could not be parsed or processed (the
other files still ran), 130 interrupted (Ctrl-C).
"""


class DefaultGroup(click.Group):
    """A group that runs `migrate` when the first word is not one of its commands.

    Paths and migration flags come first in every documented invocation, so the migration
    needs no subcommand name; a directory literally named `rules` is passed as `./rules`.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own = {"-h", "--help", "-V", "--version"}
        if not args or (args[0] not in self.commands and args[0] not in own):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`--help` teaches the migration itself, which is what almost every run is."""
        super().format_options(ctx, formatter)
        command = self.commands[DEFAULT_COMMAND]
        sub = click.Context(command, info_name=DEFAULT_COMMAND, parent=ctx)
        rows = [row for param in command.get_params(sub)
                if (row := param.get_help_record(sub)) and param.name != "help"]
        with formatter.section("Migration options (the default command, PATHS...)"):
            formatter.write_dl(rows)


@click.group(
    cls=DefaultGroup,
    subcommand_metavar="[--diff|--write|--check] PATHS... | COMMAND [ARGS]...",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.version_option(__version__, "-V", "--version", prog_name="amp2mp-codemod")
def main() -> None:
    """Migrate Amplitude analytics calls to Mixpanel.

    Without a command, runs `migrate` (see `amp2mp-codemod migrate --help` for its options).
    """


def _split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--ignore A,B --ignore C` -> ("A", "B", "C")."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
# Files this run has replaced so far: an interruption says whether anything was written.
_WRITTEN: list[str] = []


class Interruptible(click.Command):
    """Ctrl-C exits 130 (not click's `Aborted!` and 1, the code of "changes needed") and says
    whether any file had been written by then."""

    def invoke(self, ctx: click.Context) -> object:
        _WRITTEN.clear()
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, click.exceptions.Abort):
            if _WRITTEN:
                shown = ", ".join(_WRITTEN[:5]) + (" ..." if len(_WRITTEN) > 5 else "")
                said = (f"{len(_WRITTEN)} file(s) had been written ({shown}); every other file "
                        "is as it was")
            else:
                said = "nothing was written"
            click.echo(f"\ninterrupted: {said}", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@main.command(DEFAULT_COMMAND, cls=Interruptible, epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str, allow_dash=True))
@click.option("--stdin-filename", metavar="PATH",
              help="With - as the path: the name of the code read from stdin (its language, "
                   "its configuration, the name in the diff and the findings). --write prints "
                   "the migrated code on stdout.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff on stdout and write nothing (the default). With "
                   "--check: print the diff and exit with the check's code.")
@click.option("--write", is_flag=True, help="Rewrite the files in place.")
@click.option("--check", is_flag=True,
              help="Write nothing; list files that would change and every Amplitude reference "
                   "left (path:line:col: ID message); exit 1 if there is any.")
@click.option("-i", "--interactive", is_flag=True,
              help="Show each file's diff and ask before writing it (needs a terminal).")
@click.option("--report", "report_path",
              type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              help="Write a report of every file, change and finding to FILE (- for stdout, "
                   "instead of the diff); the format follows the suffix (.json, .md, .sarif).")
@click.option("--report-format", type=click.Choice(["json", "md", "sarif"]),
              help="The report's format when FILE's suffix does not say.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Apply this one configuration file everywhere, instead of each folder's "
                   "amp2mp.toml or pyproject.toml [tool.amp2mp-codemod] merged over those "
                   "above it.")
@click.option("--token", metavar="EXPR",
              help='Python expression for the Mixpanel token [default: os.environ["MIXPANEL_TOKEN"]].')
@click.option("--js-token", metavar="EXPR",
              help="JavaScript expression for the Mixpanel token "
                   "[default: process.env.MIXPANEL_TOKEN].")
@click.option("--revenue-event", metavar="NAME",
              help="Mixpanel event name for migrated revenue calls.  [default: Revenue]")
@click.option("--eu/--no-eu", default=None,
              help="Send to Mixpanel's EU host (api-eu.mixpanel.com) everywhere.")
@click.option("--todo/--no-todo", default=None,
              help="Insert TODO(amp2mp) comments at manual sites.  [default: --todo]")
@click.option("--select", multiple=True, metavar="IDS",
              help="Only these rules rewrite (comma-separated ids, prefixes such as AN or AP0, "
                   "SDK packages or languages); the others' sites are reported.")
@click.option("--ignore", multiple=True, metavar="IDS",
              help="These rules do not rewrite (ids, prefixes, SDK packages or languages, "
                   "comma-separated); their sites are reported.")
@click.option("--no-manifests", is_flag=True,
              help="Leave the dependency manifests alone (package.json, requirements*.txt, "
                   "pyproject.toml, setup.cfg, setup.py, Pipfile).")
@click.option("--no-respect-gitignore", "respect_gitignore", is_flag=True, default=True,
              flag_value=False,
              help="Walk directories without honouring .gitignore (node_modules, virtualenvs "
                   "and .git are still never entered).")
@click.option("--force-exclude", is_flag=True,
              help="Apply the configured excludes to files named on the command line too "
                   "(pre-commit names every staged file).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Worker processes; 0 = one per core, 1 = in-process.  [default: 0]")
@click.option("--allow-dirty", is_flag=True,
              help="With --write, also rewrite files with uncommitted git changes.")
@click.option("--allow-no-vcs", is_flag=True,
              help="With --write, also rewrite files outside any version control.")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor record results of unchanged files and the parsed rule "
                   "catalogue (see --cache-dir). A run over a few named files, as in "
                   "pre-commit, only uses the catalogue's.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="AMP2MP_CACHE_DIR", show_envvar=True,
              help="Where results of unchanged files are kept between runs.  "
                   "[default: the user cache folder, e.g. ~/.cache/amp2mp-codemod]")
@click.option("--max-bytes", type=click.IntRange(min=1), default=Options.max_bytes, show_default=True,
              help="Skip files larger than this many bytes (reason too-large).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print every file's status and findings.")
@click.option("--output-format", type=click.Choice(["full", "concise", "json", "github"]),
              default="full", show_default=True,
              help="full: summary and tables on stderr; concise: one finding per line "
                   "(path:line:col: severity ID message); json: the JSON report on stdout; "
                   "github: workflow commands that annotate a pull request.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour on stderr; NO_COLOR in the environment means never.")
def migrate(
    paths: tuple[str, ...],
    stdin_filename: str | None,
    show_diff: bool,
    write: bool,
    check: bool,
    interactive: bool,
    report_path: str | None,
    report_format: str | None,
    config_path: Path | None,
    token: str | None,
    js_token: str | None,
    revenue_event: str | None,
    eu: bool | None,
    todo: bool | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    no_manifests: bool,
    respect_gitignore: bool,
    force_exclude: bool,
    jobs: int,
    allow_dirty: bool,
    allow_no_vcs: bool,
    no_cache: bool,
    cache_dir: Path | None,
    max_bytes: int,
    quiet: bool,
    verbose: bool,
    output_format: str,
    color: str,
) -> None:
    """Migrate Amplitude analytics calls to Mixpanel in PATHS (files or directories).

    Python (amplitude-analytics) and JavaScript/TypeScript (amplitude-js,
    @amplitude/analytics-*) are rewritten where the mapping is mechanical; every site
    that changes meaning or needs a human is reported with its file:line, the caveat id
    and the reason. Directories are walked honouring .gitignore; node_modules and
    virtualenvs are never entered. Results of files unchanged since an earlier run
    are taken from a cache, as black and ruff do (--no-cache).
    """
    from . import config as configuration
    from .cachedir import default_directory, worth_opening
    from .catalogue import RuleError, load_catalogue, load_catalogue_from
    from .console import Output
    from .diff import coloured, renamed, unified_diff
    from .discovery import Listing
    from .leftovers import remaining
    from .manifests import plan as plan_manifests
    from .runner import run

    mode = _mode(show_diff, write, check, interactive)
    if not paths:
        raise click.UsageError("give at least one file or directory, e.g. amp2mp-codemod --diff .")
    from_stdin = "-" in paths
    if from_stdin and (len(paths) > 1 or interactive or not stdin_filename):
        raise click.UsageError(
            "- reads one file from stdin: give it alone, with --stdin-filename NAME (its "
            "language and configuration follow NAME), and without --interactive")
    if stdin_filename and not from_stdin:
        raise click.UsageError("--stdin-filename names the code read from stdin: pass - as the path")
    def catalogue() -> Catalogue:
        """The rule catalogue, parsed on first need (cached); bad rule data is a usage error."""
        try:
            return load_catalogue() if no_cache else load_catalogue_from(
                cache_dir or default_directory())
        except RuleError as exc:
            raise click.UsageError(f"invalid rule data: {exc}") from exc

    fmt = None
    if output_format == "json":
        if report_path == "-":
            raise click.UsageError("--output-format json and --report - both print on stdout; "
                                   "give --report a file name")
        report_path, report_format = "-", "json"
    elif output_format == "github" and report_path == "-":
        raise click.UsageError("--output-format github and --report - both print on stdout; "
                               "give --report a file name")
    if report_path:
        from .reports import ReportError, report_format_for

        try:
            fmt = report_format_for(report_path, report_format or (
                "json" if report_path == "-" else None))
        except ReportError as exc:
            raise click.BadParameter(str(exc), param_hint="--report") from exc
    if interactive:
        from .interactive import prompt_blocker, review  # rich.syntax and pygments

        blocker = prompt_blocker(os.environ, sys.stdin.isatty(), sys.stderr.isatty())
        if blocker:
            raise click.UsageError(f"--interactive needs a person at a terminal: {blocker}")
    selected, ignored = _split_ids(select), _split_ids(ignore)
    try:
        configuration.check_rule_ids((*selected, *ignored), "--select/--ignore", catalogue)
        for flag, value, language in (("--token", token, "python"),
                                      ("--js-token", js_token, "javascript")):
            if value is not None:
                configuration.check_expression(value, language, flag)
    except configuration.ConfigError as exc:
        raise click.UsageError(str(exc)) from exc

    def flags(config: configuration.Config) -> configuration.Config:
        """The command line's values over a directory's merged configuration."""
        return replace(
            config,
            select=selected or config.select,
            ignore=(*config.ignore, *ignored),
            token=token or config.token,
            js_token=js_token or config.js_token,
            revenue_event=revenue_event or config.revenue_event,
            eu=config.eu if eu is None else eu,
            todo_comments=config.todo_comments if todo is None else todo,
        )

    out = Output(quiet=quiet, verbose=verbose, color=color)
    colour_diff = color == "always" or (color == "auto" and sys.stdout.isatty()
                                        and not os.environ.get("NO_COLOR"))
    in_repository = _repository_names()
    stdout_taken = report_path == "-"  # the report (or --output-format json) owns stdout
    listing = Listing([] if from_stdin else list(paths), respect_gitignore)
    try:
        hierarchy = configuration.Hierarchy(catalogue, flags, Options(max_bytes=max_bytes),
                                            config_path)
        files = hierarchy.select_files(paths, listing.files, force_exclude)
        if from_stdin:
            assert stdin_filename is not None
            hierarchy.options_for(stdin_filename)
        for file in files:  # every configuration file is read and checked before any work
            hierarchy.options_for(file)
        options = configuration.to_options(hierarchy.merged(os.curdir), catalogue,
                                           Options(max_bytes=max_bytes))
    except configuration.ConfigError as exc:
        raise click.UsageError(f"configuration: {exc}") from exc
    if not files and not quiet and not from_stdin:
        from .discovery import why_nothing

        out.console.print(f"amp2mp-codemod: 0 files: {why_nothing(list(paths), len(listing.files))}",
                          markup=False, soft_wrap=True)
    roots = [Path(p) for p in paths]
    if from_stdin:
        assert stdin_filename is not None
        pairs = [_from_stdin(stdin_filename, hierarchy.options_for(stdin_filename), catalogue)]
        no_manifests = True
    else:
        pairs = []
    with out.progress(len(files)) as advance:
        pairs += run(files, roots, options, jobs=jobs, on_result=lambda job, result: advance(),
                    catalogue=catalogue,
                    cache=_open_cache(cache_dir)
                    if not no_cache and worth_opening(list(paths), len(files)) else None,
                    options_for=hierarchy.options_for)
    if interactive:
        _refuse_dirty(allow_dirty, allow_no_vcs,
                      [job.path for job, result in pairs if result.status == "changed"])
        pairs = _review(pairs, out)
        manifests = [] if no_manifests else plan_manifests([job.path for job, _ in pairs],
                                                           _final(pairs), _clean(pairs), listing)
        changed_manifests = [(m, m.result) for m in manifests if m.result.status == "changed"]
        accepted = {id(m) for m, _ in review(changed_manifests, out.console, out.ask, _data)}
        written: dict[int, FileResult] = {}
        for manifest in manifests:
            if id(manifest) in accepted:
                assert manifest.result.output is not None
                failure = _write(manifest.path, manifest.result.output, _data(manifest))
                written[id(manifest)] = replace(manifest.result, status="error", output=None,
                                                reason=failure) if failure else manifest.result
        entries: list[tuple[Job | ManifestChange, FileResult]] = [
            *pairs, *((m, written[id(m)] if id(m) in written
                       else _declined(m.result) if m.result.status == "changed"
                       else m.result) for m in manifests)]
        mode = "write"
        declined = sum(result.reason == "declined-in-review" for _, result in entries)
        out.console.print(f"interactive: {len(_WRITTEN)} file(s) written, {declined} declined "
                          "(left as they were)", soft_wrap=True)
    else:
        manifests = [] if no_manifests else plan_manifests([job.path for job, _ in pairs],
                                                           _final(pairs), _clean(pairs), listing)
        entries = [*pairs, *((m, m.result) for m in manifests)]
        if mode == "write" and not from_stdin:
            _refuse_dirty(allow_dirty, allow_no_vcs,
                          [item.path for item, result in entries if result.status == "changed"])
        for index, (item, result) in enumerate(entries):
            if from_stdin and mode == "write":  # black's and ruff's: the new code on stdout
                sys.stdout.buffer.write(result.output if result.status == "changed"
                                        and result.output is not None else item.data or b"")
                continue
            if result.status != "changed" or result.output is None or item.data is None:
                continue
            if stdout_taken and mode != "write":
                continue
            if mode == "diff" or show_diff:
                patch = renamed(result.diff if result.diff is not None
                                else unified_diff(item.display, item.data, result.output),
                                item.display, in_repository(item.path))
                sys.stdout.buffer.write(coloured(patch) if colour_diff else patch)
            elif mode == "write":
                failure = _write(item.path, result.output, item.data)
                if failure:
                    entries[index] = (item, replace(result, status="error", output=None,
                                                    reason=failure))
            else:
                click.echo(f"would migrate {item.display}")
    results = [result for _, result in entries]
    originals = {result.path: item.data for item, result in entries if item.data is not None}
    everything_left = remaining((os.fspath(item.path), result, item.data)
                                for item, result in entries)
    left = everything_left if mode == "check" else []
    _print_outcome(out, output_format, entries, originals, left, mode, show_diff, stdout_taken)
    if report_path and fmt:
        from .reports import render, write_report

        if report_path == "-":
            click.echo(render(fmt, results, catalogue(), originals), nl=False)
        else:
            try:
                Path(report_path).parent.mkdir(parents=True, exist_ok=True)
                write_report(Path(report_path), fmt, results, catalogue(), originals)
            except OSError as exc:
                click.echo(f"error: cannot write the report {report_path}: "
                           f"{exc.strerror or exc}", err=True)
                sys.exit(EXIT_ERROR)
    if output_format == "full":
        out.summary(results, catalogue, mode, left, todo=options.todo_comments,
                    originals=originals, report=None if report_path is None
                    else "stdout" if report_path == "-" else report_path,
                    mentions=everything_left)
    elif output_format in ("concise", "github") and not quiet:
        from .report import summarize

        out.headline(summarize(results), mode)
    if any(r.status == "error" for r in results):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CHANGES if left or any(r.status == "changed" for r in results) else EXIT_CLEAN)


def _print_outcome(out: Output, output_format: str, entries: list[tuple[Job | ManifestChange,
                   FileResult]], originals: dict[str, bytes], left: list[Remaining],
                   mode: str, show_diff: bool, stdout_taken: bool) -> None:
    """Per-file errors, findings and the references --check found, in the chosen format."""
    from .formats import finding_lines, github_lines

    results = [result for _, result in entries]
    if output_format == "github":
        for line in github_lines(results, originals, left):
            click.echo(line)
        return
    if output_format == "json":
        for result in results:  # the report on stdout carries the rest
            if result.status == "error":
                out.file_status(result)
        return
    hook = gitstate.exempt() and mode == "write"  # pre-commit shows each run's stdout
    for item, result in entries:
        out.file_status(result, item.data)
        if hook:
            out.findings_to_stdout(result, item.data)
    if output_format == "concise" and not out.quiet:
        for line in finding_lines(results, originals):
            out.line(line)
    sys.stdout.flush()
    for reference in left:  # after a diff (--check --diff) or a report on stdout: stderr
        click.echo(str(reference), err=show_diff or stdout_taken)


def _mode(show_diff: bool, write: bool, check: bool, interactive: bool) -> str:
    """The one thing a run does; two at once is a usage error, except `--check --diff`
    (black's: print the diff, exit with the check's code)."""
    given = [flag for flag, on in (("--diff", show_diff), ("--write", write), ("--check", check),
                                   ("--interactive", interactive)) if on]
    if len(given) > 1 and given != ["--diff", "--check"]:
        raise click.UsageError(
            f"{' and '.join(given)} cannot be combined: --diff shows, --write rewrites, "
            "--check verifies, --interactive asks per file (only --check --diff go together)")
    if write:
        return "write"
    if check:
        return "check"
    return "interactive" if interactive else "diff"


def _repository_names() -> Callable[[str | Path], str]:
    """How the diff names a file: relative to the root of the git repository the run is in
    (as `git diff` does, so `cd sub && amp2mp-codemod ../other | git apply` applies), else
    relative to the working directory."""
    from .discovery import display_path

    top = gitstate.toplevel(os.getcwd())

    def name(path: str | Path) -> str:
        shown = display_path(path)
        if top is None:
            return shown
        relative = os.path.relpath(os.path.realpath(path), top)
        return shown if relative.startswith(os.pardir) else relative

    return name


def _from_stdin(name: str, options: Options, catalogue: Callable[[], Catalogue],
                ) -> tuple[Job, FileResult]:
    """The one file read from stdin, migrated as if it were `name` (editor integrations)."""
    from .discovery import display_path
    from .engine import language_of, migrate_source
    from .projectfacts import file_facts
    from .runner import Job

    data = sys.stdin.buffer.read()
    display = display_path(name)
    if language_of(name) == "javascript":  # the project around the named file still applies
        options = replace(options, facts=file_facts(name))
    result = migrate_source(data, display, options, catalogue())
    return Job(name, display, data, options), result


def _open_cache(directory: Path | None) -> ResultCache | None:
    from .cache import ResultCache

    return ResultCache.open(directory)


def _write(path: str | Path, data: bytes, original: bytes) -> str:
    """Write one file; a failure is that file's error (exit 123), never the run's crash."""
    from .writer import ChangedOnDisk, write_atomic

    try:
        write_atomic(path, data, expected=original)
    except ChangedOnDisk:
        return "changed-on-disk: the file was edited during the run; run the tool again"
    except OSError as exc:
        return f"write-failed: {exc.strerror or exc}"
    _WRITTEN.append(os.fspath(path))
    return ""


def _refuse_dirty(allow_dirty: bool, allow_no_vcs: bool, named: Sequence[str | Path]) -> None:
    """--write never touches a file nothing could give back (see codemod.gitstate)."""
    paths = [Path(path) for path in named]
    if gitstate.exempt() or not paths:
        return
    refusal = None if allow_no_vcs else gitstate.no_vcs_refusal(paths)
    if refusal is None and not allow_dirty:
        inside = set(gitstate.outside_vcs(paths)) if allow_no_vcs else set()
        refusal = gitstate.refusal([path for path in paths if path not in inside])
    if refusal:
        click.echo(refusal, err=True)
        sys.exit(EXIT_USAGE)


def _data(item: Job | ManifestChange) -> bytes:
    return item.data or b""


def _declined(result: FileResult) -> FileResult:
    return replace(result, status="skipped", output=None, reason="declined-in-review")


def _review(pairs: list[tuple[Job, FileResult]], out: Output) -> list[tuple[Job, FileResult]]:
    """Ask about each changed file, write the accepted ones; the others count as declined."""
    from .interactive import review

    changed = [(job, result) for job, result in pairs
               if result.status == "changed" and result.output is not None and job.data is not None]
    accepted = _together(changed, review(changed, out.console, out.ask, _data), out)
    failed: dict[int, str] = {}
    for job, result in accepted:
        assert result.output is not None and job.data is not None
        failure = _write(job.path, result.output, job.data)
        if failure:
            failed[id(result)] = failure
    kept = {id(result) for _, result in accepted}
    return [(job, replace(result, status="error", output=None, reason=failed[id(result)])
             if id(result) in failed
             else _declined(result) if result.status == "changed" and id(result) not in kept
             else result) for job, result in pairs]


def _shared(job: Job) -> set[str]:
    """The shared clients (by where they are created) a file's rewrite migrates."""
    return {fact.origin for fact in job.options.clients if not fact.held}


def _together(changed: list[tuple[Job, FileResult]], accepted: list[tuple[Job, FileResult]],
              out: Output) -> list[tuple[Job, FileResult]]:
    """The accepted files, less those migrating a shared client another file's declined
    rewrite migrates too: that client must move in every module or in none."""
    kept = {id(result) for _, result in accepted}
    declined = set().union(*(_shared(job) for job, result in changed if id(result) not in kept))
    together = []
    for job, result in accepted:
        if _shared(job) & declined:
            out.console.print(f"{result.path}: not written: it migrates a client shared with a "
                              "file you declined; the client moves in every module or in none",
                              markup=False, soft_wrap=True)
        else:
            together.append((job, result))
    return together


def _final(pairs: list[tuple[Job, FileResult]]) -> dict[str, bytes]:
    """Each rewritten file's new bytes by resolved path: what the manifests are judged on."""
    return {job.real: result.output for job, result in pairs
            if result.status == "changed" and result.output is not None and job.real}


def _clean(pairs: list[tuple[Job, FileResult]]) -> set[str]:
    """Resolved paths of the files the run found without an Amplitude import."""
    return {job.real for job, _ in pairs if job.clean}


@main.command("rules")
@click.option("--language", type=click.Choice(["python", "javascript"]),
              help="Only this language's rules.")
@click.option("--format", "fmt", type=click.Choice(["table", "compact", "markdown", "json"]),
              help="A table (the default on a terminal), one line per rule (the default when "
                   "piped), docs/rules.md's Markdown, or JSON.")
def rules_command(language: str | None, fmt: str | None) -> None:
    """List every rule: id, SDK, Amplitude call, Mixpanel call, safety."""
    import json

    from rich.console import Console
    from rich.table import Table

    from .catalogue import load_catalogue
    from .ruletable import compact_lines, markdown_page, rule_rows

    catalogue = load_catalogue()
    fmt = fmt or ("table" if sys.stdout.isatty() else "compact")
    if fmt == "markdown":
        click.echo(markdown_page(catalogue), nl=False)
        return
    rows = [row for row in rule_rows(catalogue)
            if language is None or catalogue.rules[row[0]].language == language]
    if fmt == "json":
        keys = ("id", "slug", "sdk", "amplitude", "mixpanel", "safety")
        click.echo(json.dumps([dict(zip(keys, row, strict=True)) for row in rows], indent=2))
        return
    if fmt == "compact":
        click.echo("\n".join(compact_lines(rows)))
        return
    table = Table(title="amp2mp-codemod rules (details: amp2mp-codemod explain ID)",
                  title_justify="left")
    for column in ("id", "slug", "SDK", "Amplitude", "Mixpanel", "safety"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    # Off a terminal rich assumes 80 columns; the call columns need more to stay readable.
    Console(highlight=False, width=None if sys.stdout.isatty() else 200).print(table)


@main.command("explain")
@click.argument("rule_id", metavar="ID")
def explain_command(rule_id: str) -> None:
    """Print a rule's documentation (by id or slug) or an identity caveat's (ID001...)."""
    from .catalogue import Rule, load_catalogue
    from .ruletable import explain, explain_tool_id, find, suggestions

    catalogue = load_catalogue()
    entries = find(catalogue, rule_id)
    if not entries and (tool := explain_tool_id(rule_id)) is not None:
        click.echo(tool, nl=False)
        return
    if not entries:
        close = suggestions(catalogue, rule_id)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise click.BadParameter(
            f"no rule or caveat {rule_id!r}.{hint} `amp2mp-codemod rules` lists them all.",
            param_hint="ID",
        )
    if len(entries) > 1:
        choices = ", ".join(f"{entry.id} ({entry.sdk})" for entry in entries if isinstance(entry, Rule))
        raise click.BadParameter(f"{rule_id!r} is the slug of several rules: {choices}; give an id.",
                                 param_hint="ID")
    click.echo(explain(entries[0], catalogue), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
