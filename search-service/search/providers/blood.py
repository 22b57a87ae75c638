"""Which donors can give to whom: red-cell compatibility by ABO group and Rh(D). Pure.

A patient receives red cells of their own group, or of a group whose cells carry no antigen the patient
lacks: O− gives to everyone, AB+ receives from everyone, an Rh-negative patient only from Rh-negative
donors. A search that names a group ("বি নেগেটিভ রক্ত লাগবে") lists that group's donors first, then
the donors who can give to it: with two O− and no B− donor in a district, "no one" would send a
family away from the two people who can help. The hospital cross-matches every bag; the answer says
which groups it listed (`query.compatible_blood_groups`) and every card its donor's own group.
"""

from __future__ import annotations

from typing import Any

#: Each group's own letter(s) and Rh sign.
_ABO = {"O": set(), "A": {"A"}, "B": {"B"}, "AB": {"A", "B"}}


def _split(group: str) -> tuple[set[str], bool]:
    return _ABO[group[:-1]], group.endswith("+")


def can_give(donor: str, patient: str) -> bool:
    """Whether red cells of `donor`'s group suit a patient of `patient`'s group."""
    donor_antigens, donor_positive = _split(donor)
    patient_antigens, patient_positive = _split(patient)
    return donor_antigens <= patient_antigens and (patient_positive or not donor_positive)


GROUPS = ("O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+")


def compatible_donors(patient: str) -> tuple[str, ...]:
    """The other groups that can give to `patient`, own sign before the other, O last: B+ → B−, O+, O−."""
    others = [g for g in GROUPS if g != patient and can_give(g, patient)]
    return tuple(sorted(others, key=lambda g: (g[:-1] == "O" and patient[:-1] != "O", g[-1] != patient[-1])))


def own_group_first(patient: str) -> dict[str, Any]:
    """A sort key that puts the patient's own group before the compatible ones."""
    return {
        "_script": {
            "type": "number",
            "order": "asc",
            "script": {
                "source": "doc['blood_group'].size() > 0 && doc['blood_group'].value == params.group ? 0 : 1",
                "params": {"group": patient},
            },
        }
    }
