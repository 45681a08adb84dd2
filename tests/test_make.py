"""The edit-test loop's targets: `make lint` runs the linters, `make test-fast` the
tests that build no site and open no browser."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def make_n(target: str) -> str:
    run = subprocess.run(
        ["make", "--no-print-directory", "-n", target], cwd=ROOT, capture_output=True, text=True
    )
    return run.stdout + run.stderr


def test_make_lint_runs_ruffs_checks_and_format_check():
    lint = make_n("lint").splitlines()
    assert ".venv/bin/ruff check ." in lint
    assert ".venv/bin/ruff format --check ." in lint


def test_make_test_fast_lints_then_runs_the_tests_that_build_nothing():
    fast = make_n("test-fast").splitlines()
    assert fast.index(".venv/bin/ruff check .") < fast.index('.venv/bin/pytest -m "not build" -q')


def test_the_fast_tests_build_no_site_and_open_no_browser():
    """What `make test-fast` selects: none of the modules that build sites (in this
    process, with the pelican command or through the devserver) or drive Chromium."""
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not build"]
    run = subprocess.run(
        [*command, "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules = {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}
    assert "tests/test_seeds.py" in modules  # the fast ones are there
    builders = {"test_devserver", "test_pelican_cli", "test_uptodate", "test_theme_browser"}
    assert not modules & {f"tests/{name}.py" for name in builders}
