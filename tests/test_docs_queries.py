"""The named queries are documented (docs/queries.md, linked from README.md) and their
documented examples run."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner
from tests.conftest import ROOT

from legalgraph import queries
from legalgraph.cli import main

DOC = ROOT / "docs" / "queries.md"
NAMED = queries.all_queries()


def section(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(name)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"docs/queries.md has no section for {name}"
    return match.group(1)


def test_reference_page_is_in_step_with_the_query_headers() -> None:
    assert DOC.read_text(encoding="utf-8") == queries.reference_markdown(), (
        "regenerate with: legalgraph queries docs > docs/queries.md")


def test_readme_points_to_the_reference_page() -> None:
    assert "docs/queries.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_query_is_listed_with_its_parameters_and_defaults(name: str) -> None:
    text = section(name)
    assert NAMED[name].title in text
    for parameter in NAMED[name].parameters:
        assert f"| `{parameter.name}` | {parameter.type} | `{parameter.default}` |" in text


EXAMPLES = [(name, example) for name, q in sorted(NAMED.items()) for example in q.examples]


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_documented_example_runs(name: str, example: str) -> None:
    assert f"```sh\n{example}\n```" in section(name) or example in section(name)
    args = shlex.split(example)
    assert args[0] == "legalgraph"
    result = CliRunner().invoke(main, [*args[1:], "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert header == [v for v in header if v]  # a header row of variable names
    assert len(result.output.splitlines()) > 1, f"{example} returned no rows"
