"""The one generator of valid packages: any chooser makes a valid package, and given cells are kept."""

import random

import pytest

import libya_conflict as lc
from libya_conflict import generate
from libya_conflict import schema as sch


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_package_drawn_from_a_seed_is_valid(tmp_path, seed):
    made = generate.package(generate.RandomChooser(random.Random(seed)))
    report = lc.validate(generate.write_package(made, tmp_path / "package"))
    assert report.valid, report.to_text(show=20)


def test_the_same_seed_makes_the_same_package():
    first = generate.package(generate.RandomChooser(random.Random(5)))
    again = generate.package(generate.RandomChooser(random.Random(5)))
    assert first == again


def test_the_plainest_choice_leaves_every_optional_cell_empty():
    given = dict(name_en="A brigade", name_ar="كتيبة", actor_type="armed_group", side="neutral_unknown")
    actor = generate.actor(generate.PLAINEST, "act-x-1", **given)
    assert actor == {**{n: "" for n in sch.field_names("actors")}, "actor_id": "act-x-1", **given}


def test_what_follows_a_given_cell_follows_it():
    """An outlet's claim has no claimant, and a loss by ground capture is of equipment taken."""
    source = ("art-000", "كلمة أخرى", 0, 4)
    chooser = generate.RandomChooser(random.Random(0))
    for _ in range(20):
        claim = generate.claim(chooser, "cl-1", source, ("actors", "act-1"), ["act-1"], ["act-2"], source_kind="outlet")
        assert claim["claimant_actor_id"] == "" and claim["stance"] != "reports" and claim["quote"] == "كلمة"
        loss = generate.loss(chooser, "loss-1", "ev-1", "act-1", ["act-1"], [], method="ground_capture")
        assert loss["status"] in sch.capture_statuses()
