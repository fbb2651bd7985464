"""SECURITY.md cites a test for every requirement it says is met: each cited test exists. A file another
branch adds is cited with "(added by ... branch)" until it is merged, then its test functions are checked."""

import re

from tests.conftest import ROOT

CITATION = re.compile(r"(tests/[\w/]+\.py)(?:::(\w+))?( \(added by [\w/ ]+ branch(?:es)?\))?")


def test_every_test_security_md_cites_exists():
    text = (ROOT / "SECURITY.md").read_text()
    citations = CITATION.findall(text)
    assert len(citations) > 20
    problems = []
    for path, name, pending in citations:
        source = ROOT / path
        if not source.exists():
            if not pending:
                problems.append(f"{path}: no such file")
            continue
        if name and not re.search(rf"^def {name}\(", source.read_text(), re.MULTILINE):
            problems.append(f"{path}::{name}: no such test")
    assert problems == []
