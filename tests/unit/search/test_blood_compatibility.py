"""Red-cell compatibility: who can give to whom (ABO and Rh), checked against the standard table."""

from __future__ import annotations

import pytest

from search.providers.blood import GROUPS, can_give, compatible_donors

#: The standard red-cell table: a patient of each group receives from these donors.
RECEIVES_FROM = {
    "O-": {"O-"},
    "O+": {"O-", "O+"},
    "A-": {"O-", "A-"},
    "A+": {"O-", "O+", "A-", "A+"},
    "B-": {"O-", "B-"},
    "B+": {"O-", "O+", "B-", "B+"},
    "AB-": {"O-", "A-", "B-", "AB-"},
    "AB+": set(GROUPS),
}


@pytest.mark.parametrize("patient", GROUPS)
def test_each_patient_receives_from_the_tables_donors_only(patient: str) -> None:
    assert {donor for donor in GROUPS if can_give(donor, patient)} == RECEIVES_FROM[patient]
    assert set(compatible_donors(patient)) == RECEIVES_FROM[patient] - {patient}


def test_the_other_groups_are_said_closest_first() -> None:
    assert compatible_donors("B+") == ("B-", "O+", "O-")
    assert compatible_donors("O+") == ("O-",)
    assert compatible_donors("O-") == ()
