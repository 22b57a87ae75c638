"""Messages for data clerks in Bangla and English, from one catalog: `schemas/csv/messages.json`.

A clerk in an upazila office may read either language; every row error, warning and file problem
is said in both. Code raises `ClerkError(code, **params)`; the catalog holds the two templates per
code, so wording is a data change and the two languages cannot drift apart in code. Numbers in the
Bangla text are written in Bangla digits, and a parameter `X_bn` stands in for `X` in the Bangla text
(a column's Bangla label for its English name, an allowed-value list in Bangla words).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from portal.bangla.normalize import ascii_digits_to_bangla
from portal.contracts import SCHEMAS_DIR


@cache
def catalog() -> dict[str, dict[str, str]]:
    with open(SCHEMAS_DIR / "csv" / "messages.json", encoding="utf-8") as f:
        raw: dict[str, Any] = json.load(f)
    return {code: texts for code, texts in raw.items() if not code.startswith("$")}


def render(code: str, language: str, params: dict[str, Any]) -> str:
    """The message `code` in `language` ("en" or "bn") with `params` filled in."""
    template = catalog()[code][language]
    if language == "bn":
        params = {k: ascii_digits_to_bangla(str(v)) if isinstance(v, int) else v for k, v in params.items()}
        params |= {k[:-3]: v for k, v in params.items() if k.endswith("_bn")}
    return template.format(**params)


class ClerkError(ValueError):
    """A problem a clerk can fix; str() is the English text, `bn` the Bangla one."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in catalog():
            raise KeyError(f"message {code!r} is not in schemas/csv/messages.json")
        self.code = code
        self.params = params
        super().__init__(render(code, "en", params))

    @property
    def en(self) -> str:
        return str(self)

    @property
    def bn(self) -> str:
        return render(self.code, "bn", self.params)


def bilingual(code: str, **params: Any) -> dict[str, str]:
    """`{"code", "message", "message_bn"}`: how a message travels in JSON answers and records."""
    return {"code": code, "message": render(code, "en", params), "message_bn": render(code, "bn", params)}
