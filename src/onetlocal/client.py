"""Python client for an O*NET Web Services v2 server (onetlocal or the hosted one)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import httpx

from onetlocal.errors import OnetLocalError


class ClientError(OnetLocalError):
    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


Params = dict[str, Any] | Sequence[tuple[str, Any]] | None


class Client:
    """`Client(base_url, api_key).get("online/search", keyword="nurse")`; `pages(...)` walks every page."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8080",
        api_key: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ):
        headers = {"Accept": "application/json", "User-Agent": "onetlocal-client"}
        if api_key:
            headers["X-API-Key"] = api_key
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/", headers=headers, timeout=timeout, transport=transport
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, params: Params = None, **kwargs: Any) -> Any:
        query = list(params.items() if isinstance(params, dict) else params or []) + list(kwargs.items())
        try:
            response = self._http.get(path.lstrip("/"), params=query)
        except httpx.HTTPError as exc:
            raise ClientError(0, f"request failed: {exc}") from exc
        return self._body(response)

    def code(
        self, titles: Iterable[str | dict[str, Any]], review_below: float | None = None, batch: int = 1000
    ) -> list[dict[str, Any]]:
        """Bulk occupation coding (onetlocal's `POST /onetlocal/code`): job titles (strings, or dicts with "title" and
        optionally "industry" (NAICS) and "description") -> one answer each, in order ({"code", "title",
        "confidence", "alternatives", "review"}), sent `batch` titles per request (the server takes up to 1,000)."""
        query = {"review_below": review_below} if review_below is not None else {}
        items, out = list(titles), []
        for start in range(0, len(items), batch):
            try:
                response = self._http.post("onetlocal/code", params=query, json=items[start : start + batch])
            except httpx.HTTPError as exc:
                raise ClientError(0, f"request failed: {exc}") from exc
            out.extend(self._body(response))
        return out

    @staticmethod
    def _body(response: httpx.Response) -> Any:
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 or (isinstance(body, dict) and "error" in body):
            message = body.get("error") if isinstance(body, dict) else response.text[:200]
            raise ClientError(response.status_code, message or response.reason_phrase)
        return body

    def pages(self, path: str, key: str, params: Params = None, page_size: int = 2000, **kwargs: Any) -> Iterator[Any]:
        """Every item of a paged list (the list under `key`), fetching `page_size` rows at a time."""
        start = 1
        while True:
            body = self.get(path, params, start=start, end=start + page_size - 1, **kwargs)
            yield from body.get(key, [])
            if not body.get("next") or not body.get(key):
                return
            start = body["end"] + 1
