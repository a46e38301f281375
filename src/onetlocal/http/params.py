"""A route's parameters, declared once: the declaration converts and checks the request's values, hands the
service typed keyword arguments, and is what `/openapi.json` publishes — so the two cannot drift.

Rules (spec §1, §7): a missing required parameter is 422 with the hosted wording ("must have required property
'keyword'"); a parameter the route does not declare is ignored, not an error (clients send extras such as
`job_zone`); a blank value means the default (for a number, integer or boolean, blank is ASCII white space only:
`end=%1E`, a control character str.strip() would drop, is 422). A list parameter (`split=True`) takes a comma
list, the parameter repeated (`activities=A&activities=B`, as the official Node sample sends arrays), or both,
and keeps every value; `repeat=True` alone keeps each occurrence whole (`filter` values may hold commas). A scalar
parameter sent twice with different values is 422 rather than silently using one of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from onetlocal.context import MAX_PAGE_ROWS, Page
from onetlocal.errors import InvalidParameter

#: An integer: ASCII digits only (int() would also take '١٢' or '1_0'), surrounding blanks allowed.
_INTEGER = re.compile(r"\s*([+-]?([0-9]+))\s*", re.ASCII)
_NUMBER = re.compile(r"\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*", re.ASCII)
_BOOLEANS = {"true": True, "false": False}
#: What may surround a typed (non-string) value: ASCII white space, as `\s` under re.ASCII.
_ASCII_BLANKS = " \t\n\r\f\v"


@dataclass(frozen=True)
class Param:
    name: str
    description: str = ""
    type: str = "string"  # OpenAPI type of one value: string, integer, number, boolean
    required: bool = False
    enum: tuple | None = None
    default: Any = None
    repeat: bool = False  # every occurrence kept: the service gets a list
    split: bool = False  # a comma list (and/or repeated): the service gets a list of distinct values
    minimum: int | None = None
    maximum: int | None = None
    max_items: int | None = None  # a list parameter: at most this many values (422 beyond)
    pattern: str | None = None  # the whole value must match (after stripping blanks)
    location: str = "query"  # or "path"
    mismatch: str | None = None  # the 422 message when `pattern` does not match ({raw} is the value sent)

    @property
    def many(self) -> bool:
        return self.repeat or self.split


def _integer(param: Param, raw: str) -> int:
    match = _INTEGER.fullmatch(raw)
    if match is None:
        raise InvalidParameter(f"parameter '{param.name}' must be an integer, got {raw!r}")
    if len(match.group(2).lstrip("0")) > 18:  # beyond SQLite's 64-bit integers
        raise InvalidParameter(f"parameter '{param.name}' is out of range, got {raw!r}")
    return int(match.group(1))


def _number(param: Param, raw: str) -> float:
    if _NUMBER.fullmatch(raw) is None:
        raise InvalidParameter(f"parameter '{param.name}' must be a number, got {raw!r}")
    return float(raw)


def _boolean(param: Param, raw: str) -> bool:
    value = _BOOLEANS.get(raw.strip(_ASCII_BLANKS).lower())
    if value is None:
        raise InvalidParameter(f"parameter '{param.name}' must be true or false, got {raw!r}")
    return value


def _string(param: Param, raw: str) -> str:
    return raw.strip()


#: One converter per declared type.
CONVERTERS: dict[str, Callable[[Param, str], Any]] = {
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
}


def _check(param: Param, value: Any, raw: str) -> Any:
    if param.enum is not None and value not in param.enum:
        choices = ", ".join(str(c) for c in param.enum)
        raise InvalidParameter(f"parameter '{param.name}' must be one of {choices}; got {raw!r}")
    if param.pattern is not None and not re.fullmatch(param.pattern, str(value)):
        if param.mismatch:
            raise InvalidParameter(param.mismatch.format(raw=repr(raw)))
        what = f" ({param.description})" if param.description else ""
        raise InvalidParameter(f"parameter '{param.name}' must match {param.pattern}{what}; got {raw!r}")
    low, high = param.minimum, param.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{low if low is not None else '-∞'}..{high if high is not None else '∞'}"
        raise InvalidParameter(f"parameter '{param.name}' must be in {bounds}, got {value}")
    return value


def convert(param: Param, raw: str) -> Any:
    """One raw value -> the declared type, checked against enum, pattern and bounds."""
    return _check(param, CONVERTERS[param.type](param, raw), raw)


def _blank(param: Param, raw: str) -> bool:
    """Whether a value counts as not sent: white space only (for typed values, ASCII white space only)."""
    return not (raw.strip() if param.type == "string" else raw.strip(_ASCII_BLANKS))


def _values(param: Param, raws: list[str]) -> Any:
    if param.many:
        parts = [p for raw in raws for p in raw.split(",") if not _blank(param, p)] if param.split else raws
        values = [convert(param, p) for p in parts]
        values = list(dict.fromkeys(values)) if param.split else values
        if param.max_items is not None and len(values) > param.max_items:
            raise InvalidParameter(
                f"parameter '{param.name}' takes at most {param.max_items} values, got {len(values)}"
            )
        if not values:
            if param.required:
                raise InvalidParameter(f"must have required property '{param.name}'")
            return list(param.default or [])
        return values
    present = [r for r in raws if not _blank(param, r)]
    if not present:
        if param.required:
            raise InvalidParameter(f"must have required property '{param.name}'")
        return param.default
    if len(set(present)) > 1:
        raise InvalidParameter(f"parameter '{param.name}' given more than once with different values")
    return convert(param, present[0])


def parse(params: Sequence[Param], query: Iterable[tuple[str, str]], path: Mapping[str, str]) -> dict[str, Any]:
    """The declared parameters of one request as keyword arguments (undeclared query parameters ignored)."""
    sent: dict[str, list[str]] = {}
    for key, value in query:
        sent.setdefault(key, []).append(value)
    values: dict[str, Any] = {}
    for name, raw in path.items():
        declared = path_param(params, name)
        values[name] = convert(declared, raw) if declared else raw
    for param in params:
        if param.location == "query":
            raws = sent.get(param.name)
            if raws is None and not param.required:  # the common case: not sent, the default
                values[param.name] = list(param.default or []) if param.many else param.default
            else:
                values[param.name] = _values(param, raws or [])
    return values


#: An O*NET-SOC code (15-1252.00): what every `{code}` path segment of the O*NET API holds unless its route
#: declares another meaning (browse families, UNSPSC commodities, taxonomy codes).
SOC_CODE_PATTERN = r"[0-9]{2}-[0-9]{4}\.[0-9]{2}"

#: Path parameters a route need not declare: the same meaning wherever the name appears.
PATH_DEFAULTS = {
    "code": Param(
        "code",
        "O*NET-SOC code, e.g. 15-1252.00",
        pattern=SOC_CODE_PATTERN,
        location="path",
        mismatch="invalid O*NET-SOC code {raw}: expected a code like 15-1252.00",
    )
}


def path_param(params: Sequence[Param], name: str) -> Param | None:
    """The declaration of path segment `name`: the route's own, else the shared one (PATH_DEFAULTS)."""
    declared = next((p for p in params if p.name == name and p.location == "path"), None)
    return declared or PATH_DEFAULTS.get(name)


PAGE_PARAMS = (
    Param("start", "Index of first returned result (1-based)", "integer", default=1, minimum=1),
    Param(
        "end", "Index of last returned result (default start + page size - 1; at most 2000 rows)", "integer", minimum=1
    ),
)


def page_of(query: Iterable[tuple[str, str]], size: int) -> Page:
    """The start/end window of a paged route, `size` rows by default."""
    if not any(key == "start" or key == "end" for key, _ in query):
        return Page(1, size)
    values = parse(PAGE_PARAMS, query, {})
    start = values["start"]
    end = values["end"] if values["end"] is not None else start + size - 1
    if end < start:
        raise InvalidParameter(f"parameter 'end' must not be less than 'start' ({end} < {start})")
    if end - start + 1 > MAX_PAGE_ROWS:
        raise InvalidParameter(f"at most {MAX_PAGE_ROWS} rows per page (start={start}, end={end})")
    return Page(start, end)
