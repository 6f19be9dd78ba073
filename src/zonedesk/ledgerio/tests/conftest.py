"""Keep hypothesis's example cache out of the repository root (it writes .hypothesis/ there)."""

import tempfile
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "zonedesk-ledgerio-hypothesis")
