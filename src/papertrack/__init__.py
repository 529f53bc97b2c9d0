"""papertrack: how done is your LaTeX paper, really."""

import logging

__version__ = "0.1.0"

# pypdf logs what it repairs in a damaged PDF ("EOF marker not found") to the root logger, which
# prints it on stderr: a build that died mid-PDF is the build findings' to report, in their words
logging.getLogger("pypdf").setLevel(logging.CRITICAL)
