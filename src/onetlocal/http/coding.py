"""`POST /onetlocal/code`: bulk occupation coding over HTTP (issue 21), under a prefix of our own (`/onetlocal/`):
the hosted APIs own `/online/`, `/mnm/`, `/database/`, `/v1/` ... and never `/onetlocal/`, so no future hosted route
can collide with it.

- In: a JSON array of at most `MAX_TITLES` items, each a job title (string) or an object {"title", "industry"?
  (NAICS, 2 to 6 digits), "description"?}; at most `MAX_BODY` bytes. Query: `review_below` (0..1, default 0.5).
- Out: a JSON array in the same order: {"input", "code", "title", "confidence", "alternatives": [{"code", "title",
  "confidence"}], "review"} (`services.coding`: the same ranker as `/online/search`, so without an industry a
  title's first code is `/online/search`'s first code).
- Key and rate limit: the O*NET key (X-API-Key), the same key store and the same limiter as the APIs; the limit is
  counted per title: a request is admitted when the key's bucket holds a token, and charged one token per title
  (the bucket may go below zero: the key's next requests wait until the titles are paid for), so a batch of 1,000
  costs what 1,000 searches cost.
- Errors, as JSON `{"error"}`: 400 a body that is not JSON; 413 a body over MAX_BODY bytes; 422 more than MAX_TITLES
  items (the schema's maxItems: a bad value, as every other), an
  item of the wrong shape, an industry that is no NAICS code OEWS publishes, a bad review_below (the message names the
  item); 401 / 429 as the APIs; 405 any method but POST (and OPTIONS, answered by CORS).
- The coding runs on a worker thread: the event loop keeps serving other requests meanwhile.
- CORS: the preflight allows GET only (as for every route), so browsers on other origins cannot POST here; the web UI
  (same origin, through its proxy) and non-browser clients can.
"""

from __future__ import annotations

import math
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from onetlocal.context import Ctx
from onetlocal.errors import ApiError, BadRequest, InvalidParameter, RateLimited
from onetlocal.http.api import Api, error_body
from onetlocal.http.auth import Guard, Limiter, ask
from onetlocal.http.errors import describe
from onetlocal.http.routing import JSONResponse
from onetlocal.services import coding

PREFIX = "/onetlocal/"
PATH = "/onetlocal/code"
MAX_TITLES = 1000
MAX_BODY = 2 * 1024 * 1024
#: Longest title and description read (the ranker reads the first 500 characters of a keyword).
MAX_TITLE, MAX_DESCRIPTION = 500, 2000


class PayloadTooLarge(ApiError):
    status = 413


class MethodNotAllowed(ApiError):
    status = 405


def parse_items(body: bytes) -> list[tuple[str, str | None, str | None]]:
    """(title, industry, description) per item of the request body (400/413/422 as documented)."""
    try:
        items = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"the body is not JSON: {exc.args[0][:100]}") from None
    if not isinstance(items, list):
        raise InvalidParameter("the body must be a JSON array of titles (strings or objects with a title)")
    if len(items) > MAX_TITLES:
        raise InvalidParameter(f"at most {MAX_TITLES} titles per request ({len(items)} sent)")
    parsed: list[tuple[str, str | None, str | None]] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            parsed.append((item[:MAX_TITLE], None, None))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            raise InvalidParameter(f"item {i}: a title (string) or an object with a string 'title'")
        industry, description = item.get("industry"), item.get("description")
        if industry is not None and not isinstance(industry, str | int):
            raise InvalidParameter(f"item {i}: industry must be a NAICS code (2 to 6 digits)")
        if description is not None and not isinstance(description, str):
            raise InvalidParameter(f"item {i}: description must be a string")
        parsed.append(
            (
                item["title"][:MAX_TITLE],
                str(industry).strip() or None if industry is not None else None,
                description[:MAX_DESCRIPTION] if description else None,
            )
        )
    return parsed


def _review_below(scope: Scope) -> float:
    from urllib.parse import parse_qsl

    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    raw = query.get("review_below")
    if raw is None or raw == "":
        return coding.REVIEW_BELOW
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise InvalidParameter("review_below must be a number between 0 and 1")
    return value


def code_items(ctx: Ctx, items: list[tuple[str, str | None, str | None]], review_below: float) -> list[dict]:
    """The answer's array (identical items coded once, the titles ranked together)."""
    coder = coding.Coder(ctx, review_below)
    for i, (_title, industry, _description) in enumerate(items):
        if industry:
            try:
                coding.industry_code(ctx, industry)
            except InvalidParameter as exc:
                raise InvalidParameter(f"item {i}: {exc.message}") from None
    return [{"input": item[0], **coded.as_dict()} for item, coded in zip(items, coder.code_many(items), strict=True)]


async def _body(receive: Receive) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise HTTPException(400)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise PayloadTooLarge(f"the body exceeds {MAX_BODY // (1024 * 1024)} MB")
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


class CodingApp:
    """The `/onetlocal/` mount: the key check (`guard`, without a limiter: this app charges per title), then the
    batch route. The web UI's proxy calls it too (guard None, the UI's key named in the scope)."""

    def __init__(self, guard: Guard | None, limiter: Limiter | None):
        self.api = Api(name="onetlocal", title="onetlocal extensions", prefix=PREFIX.rstrip("/"), endpoints=[])
        self.routes = [
            Route(PATH, self, methods=["POST"])
        ]  # what /openapi.json's tests walk (the Dispatcher calls self)
        self.guard = guard
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if scope["path"].rstrip("/") != PATH:
                raise HTTPException(404)
            if self.guard is not None:
                await self.guard.check(scope)
            if scope["method"] != "POST":
                raise MethodNotAllowed("POST a JSON array of titles", headers={"Allow": "POST"})
            review_below = _review_below(scope)
            items = parse_items(await _body(receive))
            name = scope.get("state", {}).get("key_name")
            if self.limiter is not None and name and items:
                wait = await ask(self.limiter, self.limiter.take, name, float(len(items)))
                if wait:
                    raise RateLimited(max(1, math.ceil(wait)))
            db = scope["app"].state.db
            ctx = Ctx(db=db, base_url="", path=PATH, params=[])
            result = await run_in_threadpool(code_items, ctx, items, review_below)
        except Exception as exc:
            status, message, headers = describe(exc, scope["path"])
            await JSONResponse(error_body(status, message), status_code=status, headers=headers)(scope, receive, send)
            return
        await JSONResponse(result)(scope, receive, send)


_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

#: The route's entry in /openapi.json (http_app merges it into the generated document).
OPENAPI_PATH = {
    PATH: {
        "post": {
            "summary": f"Bulk occupation coding: up to {MAX_TITLES} job titles -> O*NET-SOC codes with a calibrated "
            "confidence, two alternatives and a review flag (onetlocal extension; rate limit counted per title)",
            "tags": ["coding"],
            "operationId": "post_onetlocal_code",
            "parameters": [
                {
                    "name": "review_below",
                    "in": "query",
                    "required": False,
                    "description": "flag titles whose confidence is below this (0..1)",
                    "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": coding.REVIEW_BELOW},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "maxItems": MAX_TITLES,
                            "items": {
                                "oneOf": [
                                    {"type": "string", "description": f"read up to its first {MAX_TITLE} characters"},
                                    {
                                        "type": "object",
                                        "required": ["title"],
                                        "properties": {
                                            "title": {"type": "string"},
                                            # NAICS, 2 to 6 digits (a string or a number); "" or null:
                                            # no industry (a blank cell)
                                            "industry": {
                                                "type": ["string", "integer", "null"],
                                                "pattern": r"^(\d{2,6})?$",
                                                "minimum": 10,
                                                "maximum": 999999,
                                            },
                                            "description": {"type": ["string", "null"]},
                                        },
                                    },
                                ]
                            },
                        },
                        "example": ["registered nurse", {"title": "line cook", "industry": "7225"}],
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "One answer per title, in order",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "input": {"type": "string"},
                                        "code": {"type": ["string", "null"]},
                                        "title": {"type": ["string", "null"]},
                                        "confidence": {"type": "number"},
                                        "alternatives": {"type": "array", "items": {"type": "object"}},
                                        "review": {"type": "boolean"},
                                    },
                                },
                            }
                        }
                    },
                },
                "400": {"description": "The body is not JSON", "content": _ERROR},
                "401": {"description": "Missing or invalid API key", "content": _ERROR},
                "413": {"description": f"A body over {MAX_BODY} bytes", "content": _ERROR},
                "422": {
                    "description": f"More than {MAX_TITLES} titles, an item of the wrong shape, an unknown industry, "
                    "a bad review_below",
                    "content": _ERROR,
                },  # fmt: skip
                "429": {"description": "Rate limit exceeded (counted per title; see Retry-After)", "content": _ERROR},
            },
        }
    }
}


def add_to_openapi(document: dict[str, Any]) -> None:
    """The route in the generated document, with the error body's schema it refers to."""
    document["paths"].update(OPENAPI_PATH)
    schemas = document["components"].setdefault("schemas", {})
    schemas["Error"] = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
