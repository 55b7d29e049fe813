"""Makes the built `shoal` package importable: $SHOAL_BUILD_DIR/python, or build/python."""

import os
import sys

_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_build = os.environ.get("SHOAL_BUILD_DIR", os.path.join(_root, "build"))
sys.path.insert(0, os.path.join(_build, "python"))
