"""What GET /v1/suggest is asked: its parameters, and what was typed in the forms names are compared in."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from portal.bangla.normalize import is_bangla, normalize_text
from portal.bangla.romanize import banglish_key


class SuggestQuery(BaseModel):
    """The parameters of GET /v1/suggest."""

    model_config = ConfigDict(frozen=True)

    q: str = Field(max_length=100, description="What has been typed so far, in any script")
    limit: int = Field(default=8, ge=1, le=20)


@dataclass(frozen=True)
class TypedText:
    """What the user has typed so far, in the forms names are compared in."""

    text: str  # normalized and casefolded
    key: str  # Banglish key ("" for Bangla input: Bangla prefixes are compared as text)
    bangla: bool

    @classmethod
    def of(cls, q: str) -> TypedText:
        text = normalize_text(q).casefold()
        bangla = is_bangla(text)
        return cls(text, "" if bangla else banglish_key(text), bangla)
