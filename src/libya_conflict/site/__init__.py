"""A static, offline explorer of the dataset: every row beside the Arabic words it came from.

>>> from libya_conflict.site import build_site
>>> written = build_site("site")        # needs the site extra: pip install 'libya-conflict[site]'  # doctest: +SKIP

``build_site`` writes plain HTML pages (Jinja2 templates in ``templates/``), one CSS file and one small
script (``static/``) to a folder: a home page with the table of every happening, a page per event,
article, actor and place. Links are relative and nothing is fetched from any other host, so the folder
works opened from ``file://`` and can be copied anywhere. The pages read without JavaScript; the script
only filters the table. The same package gives the same bytes: nothing reads the clock, and every list is
sorted.
"""

from __future__ import annotations

from pathlib import Path

from .pages import SiteError, build_site, site_files

__all__ = ["SiteError", "build_site", "site_files"]
