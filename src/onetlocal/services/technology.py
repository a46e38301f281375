"""Technology skills search (spec §4, INFERRED): find technology examples or their categories by keyword, then the
occupations that use them (Technology Skills + UNSPSC Reference up to O*NET 30.2; Software Skills from 30.3).

Categories: up to O*NET 30.2 a category is a UNSPSC commodity, its `code` an integer (43232110); from 30.3 it is a
Software Skills content-model element, its `code` the element id as the release writes it, a string ("2.E.5.b",
titled with the element's name). The code is kept as the data has it — an id is never made up to look like the
other release's — so `code` is an integer on one release and a string on the other; a category path segment
(`/online/technology/categories/{code}`, `related/technology_skills/{code}`) takes either form (`CATEGORY_PATTERN`).

Example ids: Technology Skills has no id for an example, and a title cannot be a path segment (titles such
as "Oracle PL/SQL" hold a slash). An example's id is a slug of its title plus the first 6 hex digits of the
SHA-1 of the exact title, e.g. `microsoft-excel-1a2b3c`: readable, path-safe, distinct for titles that slug
alike ("C", "C#", "C++") and stable across releases as long as the title is unchanged.

Matching: every word of the keyword must occur in the title (case-insensitive). Ranked: exact title, the
keyword as whole words ("Microsoft Excel" for "excel"), a word starting with it ("ExcelTrans"), any other
match; then by occupation count (more first), then title. Categories also match through their examples' titles, after
the title matches.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common

#: A technology category code in a path: a UNSPSC commodity code (O*NET up to 30.2) or a content-model element id
#: (Software Skills, 30.3 and later: 2.E.5.b).
CATEGORY_PATTERN = r"[0-9]{1,18}|[0-9]+(\.[0-9A-Za-z]+)+"
CATEGORY_DOC = (
    "technology category: UNSPSC commodity code (O*NET up to 30.2, e.g. 43232110) or Software Skills "
    "element id (30.3 and later, e.g. 2.E.5.b)"
)
CATEGORY_MISMATCH = (
    "invalid technology category code {raw}: expected a UNSPSC commodity code (43232110) or a "
    "Software Skills element id (2.E.5.b)"
)

CategoryCode = int | str


def category_code(raw: str) -> CategoryCode:
    """A category code from a path (checked by the route against `CATEGORY_PATTERN`): an integer UNSPSC commodity or
    an element id string, as the release's data holds it."""
    return int(raw) if raw.isascii() and raw.isdigit() else raw


@functools.lru_cache(maxsize=16384)
def example_id(title: str) -> str:
    """The stable, path-safe id of a technology example (see the module docstring); other families link with it."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "example"
    return f"{slug}-{hashlib.sha1(title.encode()).hexdigest()[:6]}"


@dataclass
class Example:
    id: str
    title: str
    folded: str  # lower-case title, for matching
    hot_technology: bool = False
    categories: dict[CategoryCode, str] = field(default_factory=dict)
    occupations: dict[str, bool] = field(default_factory=dict)  # code -> in demand for that occupation


@dataclass
class Category:
    code: CategoryCode
    title: str
    folded: str
    examples: set[str] = field(default_factory=set)  # example ids
    occupations: dict[str, list[str]] = field(default_factory=dict)  # code -> example ids


@dataclass(frozen=True)
class Index:
    examples: dict[str, Example]
    categories: dict[CategoryCode, Category]


def index(ctx: Ctx) -> Index:
    def load() -> Index:
        examples: dict[str, Example] = {}
        categories: dict[CategoryCode, Category] = {}
        titles = {
            r["commodity_code"]: r["commodity_title"]
            for r in ctx.db.all("SELECT commodity_code, commodity_title FROM unspsc_reference")
        }
        for r in ctx.db.all(
            "SELECT onetsoc_code, example, commodity_code, commodity_title, hot_technology, in_demand "
            "FROM technology_skills ORDER BY example, onetsoc_code"
        ):
            ex_id = example_id(r["example"])
            ex = examples.setdefault(ex_id, Example(ex_id, r["example"], r["example"].lower()))
            ex.hot_technology |= r["hot_technology"] == "Y"
            cat_code = r["commodity_code"]
            cat_title = titles.get(cat_code) or r["commodity_title"]
            ex.categories[cat_code] = cat_title
            ex.occupations[r["onetsoc_code"]] = ex.occupations.get(r["onetsoc_code"], False) or r["in_demand"] == "Y"
            cat = categories.setdefault(cat_code, Category(cat_code, cat_title, cat_title.lower()))
            cat.examples.add(ex_id)
            cat.occupations.setdefault(r["onetsoc_code"], []).append(ex_id)
        return Index(examples, categories)

    return ctx.db.memo("technology.index", load)


class Matcher:
    """A keyword ready to rank lower-cased titles: 0 exact, 1 the keyword as whole words, 2 a word
    starting with it, 3 every word somewhere; None when it doesn't match."""

    def __init__(self, raw: str):
        self.keyword = " ".join(raw.lower().split())
        self.words = self.keyword.split()
        at_word = r"(?<![a-z0-9])" + re.escape(self.keyword)
        self.whole = re.compile(at_word + r"(?![a-z0-9])")
        self.prefix = re.compile(at_word)

    def rank(self, folded: str) -> int | None:
        if self.words[0] not in folded or not all(w in folded for w in self.words[1:]):
            return None
        if folded == self.keyword:
            return 0
        if self.whole.search(folded):
            return 1
        return 2 if self.prefix.search(folded) else 3


def _example_item(ctx: Ctx, ex: Example) -> dict:
    return {
        "id": ex.id,
        "href": ctx.link(urls.TECHNOLOGY_EXAMPLE, example_id=ex.id),
        "title": ex.title,
        "hot_technology": ex.hot_technology,
        "in_demand": any(ex.occupations.values()),
        "occupation_count": len(ex.occupations),
        "in_demand_count": sum(ex.occupations.values()),
        "category": [{"code": c, "title": t} for c, t in sorted(ex.categories.items())],
    }


def search_examples(ctx: Ctx, keyword: str, page: Page) -> dict:
    """Technology examples whose title matches the keyword, with occupation counts and hot/in-demand flags
    (`in_demand`: in demand for at least one occupation)."""
    matcher = Matcher(keyword)
    ranked = []
    for ex in index(ctx).examples.values():
        rank = matcher.rank(ex.folded)
        if rank is not None:
            ranked.append((rank, -len(ex.occupations), ex.folded, ex))
    ranked.sort(key=lambda r: r[:3])
    items = [_example_item(ctx, r[3]) for r in page.slice(ranked)]
    return ctx.paged(page, len(ranked), "example", items)


def _occupations(ctx: Ctx, codes: list[str]) -> list[str]:
    """The codes of the active taxonomy among `codes`, by occupation title."""
    titles = common.occupations(ctx)
    return sorted((c for c in codes if c in titles), key=lambda c: (titles[c]["title"], c))


def example_occupations(ctx: Ctx, example_id: str, page: Page) -> dict:
    """Occupations using one technology example, by title, each with its in-demand flag for that occupation."""
    ex = index(ctx).examples.get(example_id)
    if ex is None:
        raise InvalidParameter(f"unknown technology example id {example_id!r}; search /online/technology/examples")
    codes = _occupations(ctx, list(ex.occupations))
    items = []
    for code in page.slice(codes):
        item = common.occupation_item(ctx, code)
        item["in_demand"] = ex.occupations[code]
        items.append(item)
    head = _example_item(ctx, ex)
    del head["href"]
    return ctx.paged(page, len(codes), "occupation", items, example=head)


def _category_item(ctx: Ctx, cat: Category) -> dict:
    return {
        "code": cat.code,
        "href": ctx.link(urls.TECHNOLOGY_CATEGORY, code=cat.code),
        "title": cat.title,
        "occupation_count": len(cat.occupations),
        "example_count": len(cat.examples),
    }


def search_categories(ctx: Ctx, keyword: str, page: Page) -> dict:
    """Technology categories (UNSPSC commodities; Software Skills elements from O*NET 30.3) whose title (first) or
    one of whose examples matches."""
    matcher = Matcher(keyword)
    idx = index(ctx)
    ranked = []
    for cat in idx.categories.values():
        rank = matcher.rank(cat.folded)
        if rank is None:
            example_ranks = [r for r in (matcher.rank(idx.examples[e].folded) for e in cat.examples) if r is not None]
            rank = 4 + min(example_ranks) if example_ranks else None
        if rank is not None:
            ranked.append((rank, -len(cat.occupations), cat.folded, cat))
    ranked.sort(key=lambda r: r[:3])
    items = [_category_item(ctx, r[3]) for r in page.slice(ranked)]
    return ctx.paged(page, len(ranked), "category", items)


def category_occupations(ctx: Ctx, code: str, page: Page) -> dict:
    """Occupations using technology of one category (UNSPSC commodity or Software Skills element), by title, each
    with its examples there."""
    idx = index(ctx)
    cat = idx.categories.get(category_code(code))
    if cat is None:
        raise InvalidParameter(f"no technology in category {code}; search /online/technology/categories")
    codes = _occupations(ctx, list(cat.occupations))
    items = []
    for occ in page.slice(codes):
        item = common.occupation_item(ctx, occ)
        examples = sorted((idx.examples[e] for e in cat.occupations[occ]), key=lambda e: e.folded)
        item["example"] = [
            {
                "id": e.id,
                "href": ctx.link(urls.TECHNOLOGY_EXAMPLE, example_id=e.id),
                "title": e.title,
                **({"hot_technology": True} if e.hot_technology else {}),
                **({"in_demand": True} if e.occupations.get(occ) else {}),
            }
            for e in examples
        ]
        items.append(item)
    head = _category_item(ctx, cat)
    del head["href"]
    return ctx.paged(page, len(codes), "occupation", items, category=head)
