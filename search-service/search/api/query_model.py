"""Query parameters read straight into an endpoint's request model, documented from that model.

FastAPI can take a query-parameter model (`Annotated[Model, Query()]`), but its dependency machinery
costs about 2 ms a request here — more than the engine's own work for a nearest-provider search. The
search routes instead call `read_query(Model, request)`: one pydantic validation of the query string,
errors reported exactly as FastAPI reports them (`loc` starting with "query"); and their
`openapi_extra=query_parameters(Model)` (given by route.query_route) lists every field of the model as a
query parameter, as before.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from portal.bangla.normalize import bangla_digits_to_ascii

M = TypeVar("M", bound=BaseModel)


#: Free text keeps its digits as typed (the reader normalizes them with the rest of the words).
TEXT_PARAMETERS = frozenset({"q"})


def read_query(model: type[M], request: Request) -> M:
    """The request's query string as `model`; unknown parameters are ignored, as FastAPI does. Numbers
    may come in Bangla digits (lat=২৪.৪৪, limit=২০), as a phone's keyboard types them."""
    params = {
        name: value if name in TEXT_PARAMETERS else bangla_digits_to_ascii(value)
        for name, value in request.query_params.items()
    }
    try:
        return model.model_validate(params)
    except ValidationError as e:
        raise RequestValidationError(
            [{**error, "loc": ("query", *error["loc"])} for error in e.errors(include_url=False)]
        ) from None


def query_parameters(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route reading `model` from its query string: one parameter per field."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    required = set(schema.get("required", ()))
    parameters = []
    for name, field_schema in schema["properties"].items():
        description = field_schema.get("description")
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        parameter["schema"] = field_schema
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return {"parameters": parameters}
