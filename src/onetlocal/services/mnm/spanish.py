"""Mi Próximo Paso search over the Spanish texts: a keyword matches the Spanish career titles and "También llamado"
titles the imported file has (`language.spanish_texts`), whatever the accents, letter case, gender or number.

The English engine (`services/search.py`) knows no Spanish: "enfermera" found nothing though the career "Enfermeros
Graduados" exists. On `/mpp/` only, words are folded on both sides (`fold`):
- accents and case: Unicode NFD without combining marks, case-folded (`ENFERMERÍA` = `enfermeria`, `ñ` = `n`);
- number: a final `s` goes (`técnicos` -> `tecnico`, `gerentes` -> `gerente`, `profesores` -> `profesore`);
- gender (and the `e` of consonant plurals): then a final `o`, `a` or `e` goes (`tecnic`, `gerent`, `profesor`:
  técnico = técnica = técnicos = técnicas, profesor = profesora = profesores);
- `z` plurals: a final `z` is read as `c` (`luz` ~ `luces`, `actriz` ~ `actrices`);
- endings are dropped only from words longer than three letters (`mes`, `gas` stay whole); articles,
  prepositions and conjunctions (`STOPWORDS`) are ignored. English words in the titles fold alike on both sides
  (`nurse` ~ `nurses`).
Words are runs of letters and digits, so punctuation ("¿", "?", parentheses) does not matter. Different words
stay different: `enfermería` (nursing) is not `enfermero` (nurse).

A career matches when one of its Spanish titles holds every folded word of the keyword. Order: careers whose
title is the keyword (folded), then those whose title holds it, then those with an also-called title holding it;
each group by the Spanish title as `/mpp/` lists careers. The English engine's answer follows (codes, English
titles and words, in its own order), without repeats, so an English keyword or a code still finds its career.
"""

from __future__ import annotations

import re
import unicodedata

from onetlocal.context import Ctx
from onetlocal.services.mnm import language

STOPWORDS = frozenset("a al con de del e el en la las lo los o para por sin sobre u un una unas unos y".split())
_WORD = re.compile(r"[0-9a-z]+")


def plain(text: str) -> str:
    """Case-folded, without accents (NFD minus combining marks)."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(word: str) -> str:
    """One plain word without its number and gender endings (module docstring)."""
    if len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 3 and word[-1] in "aeo":
        word = word[:-1]
    return word[:-1] + "c" if word.endswith("z") else word


def words(text: str) -> tuple[str, ...]:
    """The folded words of a text, without stopwords, in order."""
    return tuple(fold(w) for w in _WORD.findall(plain(text)) if w not in STOPWORDS)


def _index(ctx: Ctx) -> list[tuple[str, tuple[str, ...], list[frozenset[str]]]]:
    """[(code, folded title words, [folded word set of each also-called title])] of every Spanish career."""

    def load():
        return [
            (code, words(texts["title"] or ""), [frozenset(words(t)) for t in texts["also_called"]])
            for code, texts in language.spanish_texts(ctx).items()
        ]

    return ctx.db.memo("mnm.spanish_index", load)


def matches(ctx: Ctx, keyword: str) -> list[tuple[int, str]]:
    """[(rank, code)] of the careers whose Spanish title (rank 0 = the whole title, 1 = part of it) or also-called
    title (rank 2) holds every folded word of `keyword` (in any order); unordered within a rank."""
    wanted = words(keyword)
    if not wanted:
        return []
    need = set(wanted)
    found = []
    for code, title, also_called in _index(ctx):
        if set(title) == need:
            found.append((0, code))
        elif need <= set(title):
            found.append((1, code))
        elif any(need <= called for called in also_called):
            found.append((2, code))
    return found
