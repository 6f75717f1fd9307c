"""Every JavaScript/TypeScript output the fixtures pin is judged by a second parser.

The tool's own gate re-parses each rewrite with tree-sitter, which is lenient in places (a
lone `export` reads as an identifier with no ERROR node). So each fixture's expected output,
and the input of each must-not-change fixture (the output is the input), is judged by the
TypeScript compiler's parser, and Babel for JavaScript (`judgekit`, one node process for all
of them): an output with a diagnostic whose input had none is a rewrite that broke the file.
"""

from __future__ import annotations

from pathlib import Path

from judgekit import judge_files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SUFFIXES = {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".html"}


def _pairs() -> list[tuple[str, Path, Path]]:
    """(case, input, output) for every JS-family fixture; the output is the input if unchanged."""
    pairs = []
    for source in sorted(FIXTURES.glob("*/*/input.*")):
        if source.suffix.lower() not in SUFFIXES:
            continue
        expected = source.with_name("expected" + source.suffix)
        case = f"{source.parent.parent.name}/{source.parent.name}"
        pairs.append((case, source, expected if expected.exists() else source))
    return pairs


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


def test_no_fixture_output_breaks_a_file_the_second_parser_reads() -> None:
    pairs = _pairs()
    assert len(pairs) >= 40, "the JS fixtures were not found"
    files = [(str(p), _text(p)) for _, source, output in pairs for p in (source, output)]
    verdicts = judge_files(files)
    broken = []
    for index, (case, _, output) in enumerate(pairs):
        before, after = verdicts[2 * index], verdicts[2 * index + 1]
        if before.accepted and not after.accepted:
            broken.append(f"{case}: {output.name}: {after.why()}")
    assert not broken, "\n".join(broken)
    # The judge does read: the fixtures that are syntax errors on purpose are rejected.
    rejected = {case for index, (case, *_) in enumerate(pairs) if not verdicts[2 * index].accepted}
    assert {"safety/syntax-error-ts", "safety/syntax-error-tsx"} <= rejected, rejected
