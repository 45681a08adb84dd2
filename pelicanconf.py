"""The name Pelican looks for by default: it loads pelican.conf.py, the real settings."""

import runpy
from pathlib import Path

globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(Path(__file__).with_name("pelican.conf.py"))).items()
        if name.isupper()
    }
)
