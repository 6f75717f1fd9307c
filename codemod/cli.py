"""The command line: a thin click layer over discovery, the runner and the reports.

Exit codes follow black and pre-commit: 0 nothing to change, 1 changes needed (`--diff`,
`--check`) or made (`--write`), 2 usage error, 123 a file could not be processed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, gitstate
from .options import Options

EXIT_CLEAN, EXIT_CHANGES, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 123

EPILOG = """\b
Examples:
  amp2mp-codemod --diff ./src                 review the patch (writes nothing)
  amp2mp-codemod --diff ./src | git apply     apply it through git
  amp2mp-codemod --write --report r.json .    rewrite in place, keep a JSON report
  amp2mp-codemod --check .                    CI: exit 1 while anything is left to migrate

\b
Exit codes: 0 nothing to change, 1 changes needed or made, 2 usage error,
123 a file could not be parsed or processed (the other files still ran).
"""


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option("--diff", "mode", flag_value="diff", default=True,
              help="Print a unified diff on stdout and write nothing (the default).")
@click.option("--write", "mode", flag_value="write", help="Rewrite the files in place.")
@click.option("--check", "mode", flag_value="check",
              help="List files that would change; exit 1 if any would.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True),
              help="Write a JSON report of every file, change and finding to FILE.")
@click.option("--token", metavar="EXPR",
              help='Python expression for the Mixpanel token [default: os.environ["MIXPANEL_TOKEN"]].')
@click.option("--js-token", metavar="EXPR",
              help="JavaScript expression for the Mixpanel token "
                   "[default: process.env.MIXPANEL_TOKEN].")
@click.option("--revenue-event", metavar="NAME", default="Revenue", show_default=True,
              help="Mixpanel event name for migrated revenue calls.")
@click.option("--no-todo", is_flag=True, help="Do not insert TODO(amp2mp) comments.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Worker processes; 0 = one per core, 1 = in-process.  [default: 0]")
@click.option("--allow-dirty", is_flag=True,
              help="With --write, also rewrite files with uncommitted git changes.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=Options.max_bytes, show_default=True,
              help="Skip files larger than this many bytes (reason too-large).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print every file's status.")
@click.version_option(__version__, "-V", "--version", prog_name="amp2mp-codemod")
def main(
    paths: tuple[str, ...],
    mode: str,
    report_path: str | None,
    token: str | None,
    js_token: str | None,
    revenue_event: str,
    no_todo: bool,
    jobs: int,
    allow_dirty: bool,
    max_bytes: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Migrate Amplitude analytics calls to Mixpanel in PATHS (files or directories).

    Python (amplitude-analytics) and JavaScript/TypeScript (amplitude-js,
    @amplitude/analytics-*) are rewritten where the mapping is mechanical; every site
    that changes meaning or needs a human is reported with its file:line, the caveat id
    and the reason. Directories are walked honouring .gitignore; node_modules and
    virtualenvs are never entered.
    """
    from .catalogue import RuleError, load_catalogue
    from .console import Output
    from .discovery import discover
    from .report import build_report, to_json
    from .runner import run
    from .writer import write_atomic

    if not paths:
        raise click.UsageError("give at least one file or directory, e.g. amp2mp-codemod --diff .")
    try:
        catalogue = load_catalogue()
    except RuleError as exc:
        raise click.UsageError(f"invalid rule data: {exc}") from exc
    options = Options(
        token=token or Options.token,
        js_token=js_token or Options.js_token,
        revenue_event=revenue_event,
        todo_comments=not no_todo,
        max_bytes=max_bytes,
    )
    out = Output(quiet=quiet, verbose=verbose)
    files = discover(list(paths))
    roots = [Path(p) for p in paths]
    with out.progress(len(files)) as advance:
        pairs = run(files, roots, options, jobs=jobs, on_result=lambda job, result: advance())
    results = [result for _, result in pairs]
    if mode == "write" and not allow_dirty and not gitstate.exempt():
        refusal = gitstate.refusal(job.path for job, result in pairs if result.status == "changed")
        if refusal:
            click.echo(refusal, err=True)
            sys.exit(EXIT_USAGE)
    for job, result in pairs:
        if result.status == "changed" and result.output is not None and job.data is not None:
            if mode == "diff":
                from .diff import unified_diff

                sys.stdout.buffer.write(unified_diff(job.display, job.data, result.output))
            elif mode == "write":
                write_atomic(job.path, result.output)
            else:
                click.echo(f"would migrate {job.display}")
        out.file_status(result)
    sys.stdout.flush()
    if report_path:
        Path(report_path).write_text(to_json(build_report(results, catalogue)), encoding="utf-8")
    out.summary(results, catalogue, mode)
    if any(r.status == "error" for r in results):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CHANGES if any(r.status == "changed" for r in results) else EXIT_CLEAN)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
