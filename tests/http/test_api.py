"""One mount per API: each API checks keys its own way and renders every error (401, 404, 405, 422, 429) in
its own body, while sharing the key store and the rate limiter."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.http.api import Api
from onetlocal.http.auth import BearerToken, TokenBucket
from onetlocal.http.params import Param
from onetlocal.http.routes import ONET
from onetlocal.http.routing import Endpoint


def _echo(ctx: Ctx, word: str, times: int, page: Page) -> dict:
    if word == "bad":
        raise InvalidParameter("bad word")
    if word == "bug":
        raise RuntimeError("a bug in a service")
    return ctx.paged(page, times, "Items", page.slice([word] * times))


def _pascal_envelope(ctx: Ctx, page: Page, total: int, key: str, items: list, **extra) -> dict:
    return {"RecordCount": total, key: items}


OTHER = Api(
    name="other",
    title="A second API",
    prefix="/v9/",
    endpoints=[
        Endpoint(
            "/v9/echo/{word}",
            _echo,
            "echo",
            "other",
            params=(Param("times", type="integer", default=3, minimum=0),),
            list_key="Items",
        )
    ],
    scheme=BearerToken(),
    error_body=lambda status, message: {"ErrorCode": status, "Message": message},
    envelope=_pascal_envelope,
)


class Keys:
    """A key store passed in (as a Redis-backed one would be)."""

    def name_for(self, key: str) -> str | None:
        return {"k1": "alice"}.get(key)


@pytest.fixture(scope="module")
def two_apis(db_path, tmp_path_factory):
    settings = Settings(db_path=db_path, keys_db_path=tmp_path_factory.mktemp("k") / "keys.sqlite", auth=True)
    app = create_app(settings, keys=Keys(), limiter=TokenBucket(1000), apis=[OTHER, ONET])
    with TestClient(app) as client:
        yield client


def test_each_api_takes_its_own_credentials(two_apis):
    assert two_apis.get("/v9/echo/hi", headers={"Authorization": "Bearer k1"}).json() == {
        "RecordCount": 3,
        "Items": ["hi", "hi", "hi"],
    }
    assert two_apis.get("/about/", headers={"X-API-Key": "k1"}).status_code == 200
    # the other API's credentials are not accepted
    assert two_apis.get("/v9/echo/hi", headers={"X-API-Key": "k1"}).status_code == 401
    assert two_apis.get("/about/", headers={"Authorization": "Bearer k1"}).status_code == 401


@pytest.mark.parametrize(
    "path,headers,status",
    [
        ("/v9/echo/hi", {}, 401),
        ("/v9/echo/hi", {"Authorization": "Bearer nope"}, 401),
        ("/v9/echo/hi", {"Authorization": "Basic k1"}, 401),
        ("/v9/nothing", {"Authorization": "Bearer k1"}, 404),
        ("/v9/echo/bad", {"Authorization": "Bearer k1"}, 422),
        ("/v9/echo/hi?times=-1", {"Authorization": "Bearer k1"}, 422),
    ],
)
def test_errors_come_in_the_apis_own_shape(two_apis, path, headers, status):
    response = two_apis.get(path, headers=headers)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"ErrorCode", "Message"} and body["ErrorCode"] == status and body["Message"]


def test_method_not_allowed_in_the_apis_own_shape(two_apis):
    response = two_apis.post("/v9/echo/hi", headers={"Authorization": "Bearer k1"})
    assert response.status_code == 405 and set(response.json()) == {"ErrorCode", "Message"}


def test_the_onet_api_keeps_its_error_shape(two_apis):
    response = two_apis.get("/online/nothing", headers={"X-API-Key": "k1"})
    assert response.status_code == 404 and set(response.json()) == {"error"}


def test_openapi_documents_both_schemes(two_apis):
    doc = two_apis.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"] == {
        "other": {"type": "http", "scheme": "bearer"},
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    assert doc["paths"]["/v9/echo/{word}"]["get"]["security"] == [{"other": []}]
    assert "security" not in doc["paths"]["/about/"]["get"]


def test_a_bug_is_a_500_in_the_apis_own_shape_and_its_traceback_is_logged(db_path, tmp_path, caplog):
    """An exception no API rendered (a bug) reaches http.front.Front: 500 JSON in the owning API's shape, with the
    request id, and the traceback in the log; the server keeps answering."""
    settings = Settings(db_path=db_path, keys_db_path=tmp_path / "keys.sqlite", auth=True)
    app = create_app(settings, keys=Keys(), limiter=TokenBucket(1000), apis=[OTHER, ONET])
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v9/echo/bug", headers={"Authorization": "Bearer k1"})
        assert response.status_code == 500 and response.json() == {"ErrorCode": 500, "Message": "internal error"}
        assert len(response.headers["x-request-id"]) == 32
        assert client.get("/v9/echo/fine", headers={"Authorization": "Bearer k1"}).status_code == 200
    logged = [r for r in caplog.records if "unexpected error on /v9/echo/bug" in r.getMessage()]
    assert logged and "a bug in a service" in str(logged[0].exc_info[1])
