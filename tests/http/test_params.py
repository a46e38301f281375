"""A route's declaration is its validation: conversion, defaults, required, enums, bounds, lists, paging."""

from __future__ import annotations

import pytest

from onetlocal.context import Page
from onetlocal.errors import InvalidParameter
from onetlocal.http.params import Param, page_of, parse
from onetlocal.http.routes import ENDPOINTS

DECLARED = (
    Param("keyword", required=True),
    Param("n", type="integer", default=3, minimum=1, maximum=10),
    Param("ratio", type="number"),
    Param("flag", type="boolean", default=False),
    Param("sort", enum=("title", "code"), default="title"),
    Param("ids", split=True),
    Param("filter", repeat=True),
    Param("answers", pattern="[1-5]{6}"),
    Param("task_id", type="integer", location="path"),
)


def _parse(query, path=None):
    return parse(DECLARED, query, path or {"task_id": "12"})


def test_typed_values_and_defaults():
    values = _parse([("keyword", " nurse "), ("n", "7"), ("ratio", "0.5"), ("flag", "TRUE"), ("answers", "123451")])
    assert values == {
        "task_id": 12,
        "keyword": "nurse",
        "n": 7,
        "ratio": 0.5,
        "flag": True,
        "sort": "title",
        "ids": [],
        "filter": [],
        "answers": "123451",
    }


def test_blank_means_default_and_undeclared_is_ignored():
    values = _parse([("keyword", "x"), ("n", ""), ("job_zone", "3")])
    assert values["n"] == 3 and "job_zone" not in values


def test_missing_required_uses_the_hosted_wording():
    with pytest.raises(InvalidParameter, match="^must have required property 'keyword'$"):
        _parse([("n", "2")])
    with pytest.raises(InvalidParameter, match="^must have required property 'keyword'$"):
        _parse([("keyword", "  ")])


@pytest.mark.parametrize(
    "name,value",
    [
        ("n", "seven"),
        ("n", "1" * 40),
        ("n", "11"),
        ("n", "0"),
        ("n", "١٢"),
        ("ratio", "1e5x"),
        ("flag", "yes"),
        ("sort", "zone"),
        ("answers", "12345"),
        ("answers", "123456 7"),
    ],
)
def test_bad_values_are_422_naming_the_parameter(name, value):
    with pytest.raises(InvalidParameter, match=f"'{name}'"):
        _parse([("keyword", "x"), (name, value)])


def test_path_parameters_are_converted_too():
    with pytest.raises(InvalidParameter, match="'task_id'"):
        _parse([("keyword", "x")], {"task_id": "abc"})


def test_a_list_takes_commas_repeats_or_both_and_keeps_every_value():
    """The official Node sample sends arrays as repeated parameters: no value may be dropped."""
    for query in ([("ids", "a,b,c")], [("ids", "a"), ("ids", "b"), ("ids", "c")], [("ids", "a,b"), ("ids", "c,a")]):
        assert _parse([("keyword", "x"), *query])["ids"] == ["a", "b", "c"]


def test_repeat_keeps_each_occurrence_whole():
    assert _parse([("keyword", "x"), ("filter", "a.eq.1,2"), ("filter", "b.eq.3")])["filter"] == ["a.eq.1,2", "b.eq.3"]


def test_a_scalar_sent_twice_is_not_silently_cut():
    assert _parse([("keyword", "x"), ("keyword", "x")])["keyword"] == "x"
    with pytest.raises(InvalidParameter, match="more than once"):
        _parse([("keyword", "x"), ("keyword", "y")])


def test_page_window():
    assert page_of([], 20) == Page(1, 20)
    assert page_of([("start", "11")], 10) == Page(11, 20)
    assert page_of([("start", "5"), ("end", "6")], 10) == Page(5, 6)
    for query in ([("start", "0")], [("start", "5"), ("end", "4")], [("end", "2001")]):
        with pytest.raises(InvalidParameter):
            page_of(query, 20)


def test_every_declared_enum_default_is_valid():
    for endpoint in ENDPOINTS:
        for param in endpoint.params:
            if param.enum and param.default is not None and not param.many:
                assert param.default in param.enum, (endpoint.path, param.name)


def test_every_service_accepts_what_its_route_declares():
    """The handler passes each declared parameter (and `page` when paged) by name: the service must take them."""
    import inspect

    for endpoint in ENDPOINTS:
        signature = inspect.signature(endpoint.service)
        if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
            continue
        names = {*endpoint.path_names, *(p.name for p in endpoint.params if p.location == "query")}
        if endpoint.is_paged:
            names.add("page")
        assert names == set(signature.parameters) - {"ctx"}, endpoint.path


@pytest.mark.parametrize("raw", ["\x1e", "\x1c", "\x1f", "\x85", "\u2028", "7\x1e", "\x00"])
def test_a_control_character_in_a_typed_value_is_422_not_blank(raw):
    """Issue 22 item 7: `end=%1E` was taken as blank (str.strip() counts U+001C..U+001F as white space)."""
    with pytest.raises(InvalidParameter, match="'end'"):
        page_of([("start", "1"), ("end", raw)], 20)
    for name in ("n", "ratio", "flag"):
        with pytest.raises(InvalidParameter, match=f"'{name}'"):
            _parse([("keyword", "x"), (name, raw)])
    assert page_of([("start", "1"), ("end", " \t")], 20) == Page(1, 20)  # ASCII blanks are still blank


def test_end_with_a_control_character_is_422_over_http(client):
    answer = client.get("/online/search?keyword=nurse&end=%1E")
    assert answer.status_code == 422 and "'end'" in answer.json()["error"], answer.text
