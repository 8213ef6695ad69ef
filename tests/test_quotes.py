"""Locating quotes: exact offsets, or a refusal that helps the curator."""

import pytest

from libya_conflict.quotes import QuoteError, locate, near_matches

TEXT = "قال المتحدث إن القوات تقدمت\u00a0نحو الأصابعة، وإن القوات تقدمت أمس."


def test_an_unambiguous_quote_gets_its_offsets():
    start = locate(TEXT, "نحو الأصابعة")
    assert TEXT[start : start + len("نحو الأصابعة")] == "نحو الأصابعة"


def test_an_ambiguous_quote_is_refused_with_its_offsets():
    with pytest.raises(QuoteError, match="occurs 2 times"):
        locate(TEXT, "القوات تقدمت")


def test_an_ambiguous_quote_is_pinned_by_its_start():
    second = TEXT.rindex("القوات تقدمت")
    assert locate(TEXT, "القوات تقدمت", start=second) == second


def test_a_space_typed_for_a_no_break_space_is_refused_with_the_near_match():
    with pytest.raises(QuoteError) as excinfo:
        locate(TEXT, "تقدمت نحو")
    # The near match is shown with the no-break space made visible, at its exact offsets.
    start = TEXT.index("تقدمت\u00a0نحو")
    assert f"[{start}:{start + 9}]" in str(excinfo.value) and "\\xa0" in str(excinfo.value)


def test_hamza_forms_are_suggested_not_accepted():
    near = near_matches(TEXT, "نحو الاصابعة")
    assert near and near[0][2] == "نحو الأصابعة"
    with pytest.raises(QuoteError):
        locate(TEXT, "نحو الاصابعة")


def test_a_quote_at_the_wrong_offset_is_refused():
    with pytest.raises(QuoteError, match="not at offset 0"):
        locate(TEXT, "نحو الأصابعة", start=0)
