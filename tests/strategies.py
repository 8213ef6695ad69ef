"""Hypothesis strategies for whole, valid, mutually consistent libya-conflict data packages.

``packages()`` draws a :class:`~libya_conflict.generate.GeneratedPackage`: every table of ``schemas/`` as
rows of CSV cell text, and the Arabic article texts the claims quote. It is valid by construction, never
by filtering: the package is made by :func:`libya_conflict.generate.package`, the one generator of valid
packages, with every choice drawn by hypothesis (so that a failing example shrinks). ``write_package``
turns it into a data package folder as the build would.

Profiles (choose with the environment variable HYPOTHESIS_PROFILE): ``default`` is fast, for every test
run; ``thorough`` draws many more examples.
"""

from __future__ import annotations

import os
import string

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from libya_conflict import generate
from libya_conflict.generate import GeneratedPackage, write_package

__all__ = ["GeneratedPackage", "HypothesisChooser", "packages", "write_package"]

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=15, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("thorough", max_examples=200, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Words of two letters or more, as in real text: lone letters before commas could read as cp1256 mojibake
# ("ط،ط،" is "ءء").
arabic_words = st.text(generate.ARABIC_LETTERS, min_size=2, max_size=7)
# English text: never starts like a formula (= + - @) nor with whitespace; some non-ASCII; quotes and
# commas to exercise CSV quoting.
latin_words = st.text(string.ascii_letters + string.digits + "éāʿ’", min_size=1, max_size=9)
latin_texts = st.builds(
    lambda first, rest: first + "".join(sep + word for sep, word in rest),
    latin_words,
    st.lists(st.tuples(st.sampled_from([" ", ", ", " - ", " — ", '; "', '" ', " / "]), latin_words), max_size=5),
)


class HypothesisChooser:
    """A :class:`libya_conflict.generate.Chooser` whose every choice hypothesis draws."""

    def __init__(self, draw):
        self.draw = draw

    def choice(self, options):
        return self.draw(st.sampled_from(options))

    def integer(self, low, high):
        return self.draw(st.integers(low, high))

    def boolean(self):
        return self.draw(st.booleans())

    def sample(self, options, k):
        return self.draw(st.permutations(list(options)))[:k]

    def english(self):
        return self.draw(latin_texts)

    def arabic_word(self):
        return self.draw(arabic_words)


@st.composite
def packages(draw) -> GeneratedPackage:
    """A whole valid package: every table, keys that resolve, quotes at their offsets."""
    return generate.package(HypothesisChooser(draw))
