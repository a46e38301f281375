"""OEWS top-coding caps read from the footnote text (`onetlocal.oews_footnotes.top_codes`): what My Next Move's
`salary.<key>_over` and CareerOneStop's `239,200+` label both use."""

from __future__ import annotations

from onetlocal.oews_footnotes import TOP_CODED, top_codes
from onetlocal.services import bls


def test_top_codes_of_the_may_2025_text():
    text = "This wage is equal to or greater than $115.00 per hour or $239,200 per year."
    caps = top_codes(text)
    assert caps == {"hourly": 115.0, "annual": 239200} and isinstance(caps["annual"], int)


def test_a_rate_the_text_does_not_state_is_left_out():
    assert top_codes("This wage is equal to or greater than $239,200.00 per year.") == {"annual": 239200}
    assert top_codes("Estimate not released.") == {}
    assert top_codes("") == {}


def test_the_release_states_both_caps(ctx, db):
    text = db.scalar("SELECT footnote_text FROM oews_footnotes WHERE footnote_code = ?", (TOP_CODED,))
    assert bls.oews_caps(ctx()) == top_codes(text) == {"hourly": 115.0, "annual": 239200}
