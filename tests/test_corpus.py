"""Every file of the YAML conformance corpus, given as a catalog, ends in a message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

CORPUS = Path(__file__).parent / "corpus" / "yaml-test-suite"
FILES = sorted(CORPUS.glob("*.yaml"))
INVALID = set((CORPUS / "ERRORS.txt").read_text().split())


def test_corpus_is_present():
    assert len(FILES) > 300


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_corpus_file(path):
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    out = result.output.strip().splitlines()
    assert out, "no message"
    assert "Traceback" not in result.output
    if path.stem in INVALID:
        # Invalid YAML can never be a valid catalog.
        assert result.exit_code == 1
        assert f"{path}:" in out[0] and ": error: [" in out[0]
