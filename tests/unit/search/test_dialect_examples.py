"""schemas/dialect.json's `examples`: realistic dialect queries and what they ask for, each read as the
search reads it, in dialect and in standard Bangla (the reader's own test data, grown with the words)."""

from __future__ import annotations

import pytest

from portal.contracts import dialect
from search.understanding.understanding import understand

#: Examples the reader does not read yet, and why: each a kind of sentence, not a missing word.
NOT_YET = {
    # a dialect classifier (ডা for টা) on a not-listed entry's word: what is not listed is read only as
    # written, and মোবাইলডা is two letters off মোবাইল ("মোবাইলটা ভেঙে গেছে" is read)
    "মোবাইলডা ভাইঙ্গা গেছে, সারাইতাম": "a dialect classifier on a not-listed name",
    "মুরগিগুলা ঝিমাইতাছে, টিকা দেওন লাগবো": "a dialect plural on a not-listed name",
}

EXAMPLES = [
    pytest.param(e, id=e["dialect"], marks=[pytest.mark.xfail(reason=NOT_YET[e["dialect"]], strict=True)])
    if e["dialect"] in NOT_YET
    else pytest.param(e, id=e["dialect"])
    for e in dialect()["examples"]
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_dialect_example_asks_for_what_it_says(example: dict[str, str]) -> None:
    for text in (example["dialect"], example["standard"]):
        read = understand(text, example["kind"])
        assert read is not None
        expect = example["category"]
        if expect.startswith("not_listed:"):
            unlisted = read.not_listed.slug if read.not_listed else None
            assert unlisted == expect.removeprefix("not_listed:"), (text, read.categories)
        else:
            assert expect in read.categories, (text, read.categories, read.not_listed)
