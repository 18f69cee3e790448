"""Fixtures of the memlens module tests: slices of the KJV demo corpus and the CLI to compare to.

Run from CTest (python_tests), which sets PYTHONPATH to build/python and MEMLENS_CLI and
MEMLENS_DEMO_CORPUS to this build tree's memlens-cli and demo corpus.
"""
import json
import os
import subprocess

import pytest


def _demo_corpus():
    path = os.environ.get("MEMLENS_DEMO_CORPUS", "")
    if not os.path.isfile(path):
        pytest.skip("the KJV demo corpus is not built (cmake --build build --target demo_corpus)")
    return path


@pytest.fixture(scope="session")
def kjv_path():
    """The whole KJV demo corpus (31,102 lines)."""
    return _demo_corpus()


@pytest.fixture(scope="session")
def kjv_slice(tmp_path_factory):
    """Genesis and most of Exodus: 2,000 lines, small enough for IB1 in a second."""
    with open(_demo_corpus(), encoding="utf-8") as f:
        lines = [next(f) for _ in range(2000)]
    path = tmp_path_factory.mktemp("kjv") / "kjv2000.txt"
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="session")
def cli():
    """Runs memlens-cli with the arguments given; returns its stdout parsed as JSON."""
    binary = os.environ["MEMLENS_CLI"]

    def run(*args):
        done = subprocess.run([binary, *map(str, args)], check=True, capture_output=True,
                              text=True)
        return json.loads(done.stdout)

    return run
