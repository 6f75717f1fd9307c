"""Every JavaScript/TypeScript output the fixtures pin is judged by a second parser.

The tool's own gate re-parses each rewrite with tree-sitter, which is lenient in places (a
lone `export` reads as an identifier with no ERROR node). So each fixture's expected output,
and the input of each must-not-change fixture (the output is the input), is judged by the
TypeScript compiler's parser, and Babel for JavaScript (`judgekit`, one node process for all
of them): an output with a diagnostic whose input had none is a rewrite that broke the file.
"""

from __future__ import annotations

from pathlib import Path

from judgekit import broken_rewrites, judge_files

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
    broken = broken_rewrites([(str(output), _text(source), _text(output))
                              for _, source, output in pairs])
    assert not broken, "\n".join(f"{pairs[i][0]}: {v.why()}" for i, v in broken.items())


def test_the_second_parser_rejects_the_fixtures_that_are_syntax_errors_on_purpose() -> None:
    cases = [(case, source) for case, source, _ in _pairs()]
    verdicts = judge_files([(str(source), _text(source)) for _, source in cases])
    rejected = {case for (case, _), verdict in zip(cases, verdicts, strict=True)
                if not verdict.accepted}
    assert rejected == {"js/syntax-error", "safety/binary-js", "safety/syntax-error-js",
                        "safety/syntax-error-ts", "safety/syntax-error-tsx"}
