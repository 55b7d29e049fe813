"""Makes the built `shoal` package importable: $SHOAL_BUILD_DIR/python, or build/python."""

import os
import sys

_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_build = os.environ.get("SHOAL_BUILD_DIR", os.path.join(_root, "build"))
sys.path.insert(0, os.path.join(_build, "python"))

# Nodes started by the tests keep their statistical-cost model in a directory of this test run,
# never in the user's ~/.local/state/shoal (subprocesses inherit it).
if "SHOAL_TESTS_KEEP_STATE" not in os.environ:
    import tempfile

    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="shoal-test-state-")
