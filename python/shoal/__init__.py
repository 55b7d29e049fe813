"""shoal: ordinary Python compiled through LLVM and run on a shoal node.

    import shoal
    with shoal.connect() as cluster:          # an embedded node in this process
        value = cluster.submit(f, *args).result()

``shoal.connect("host:port")`` talks to a standalone node (``shoal node --config node.ini``) the
same way.
"""

from ._errors import ImmutabilityError, UnsupportedError
from ._cluster import Cluster, Future, connect

__all__ = ["connect", "Cluster", "Future", "UnsupportedError", "ImmutabilityError"]
__version__ = "0.1.0"
