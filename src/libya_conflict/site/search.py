"""The search key of the explorer: the same folding in Python (the index) and in JavaScript (the query).

>>> fold("أعلنَ المسماري")
'اعلن المسماري'
>>> fold("Al-Watiya  Base")
'al-watiya base'

Arabic is matched ignoring its diacritics (harakat, shadda, sukun, the dagger alif), the tatweel, and
the letters written interchangeably: alif with hamza or madda and alif wasla as bare alif, alif maqsura
and hamza on ya as ya, hamza on waw as waw, ta marbuta as ha. Latin is lower-cased, and runs of white space
(the no-break space too) become one space. ``static/explorer.js`` holds the same table; a test checks the
two agree on every letter that either changes.
"""

from __future__ import annotations

import re

# Letters folded to another: keep in step with FOLD in static/explorer.js.
LETTERS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه"}
# Marks dropped: Arabic harakat U+064B-U+065F, the dagger alif U+0670, Quranic marks U+06D6-U+06ED, tatweel.
MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """The search key of ``text``."""
    text = MARKS.sub("", text)
    text = "".join(LETTERS.get(ch, ch) for ch in text)
    return SPACE.sub(" ", text).strip().lower()
