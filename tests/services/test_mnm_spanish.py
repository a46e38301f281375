"""The Spanish word folding of Mi Próximo Paso search (`services/mnm/spanish.py`), on words of real titles."""

from __future__ import annotations

import pytest

from onetlocal.services.mnm.spanish import fold, plain, words


@pytest.mark.parametrize(
    "forms",
    [
        ("enfermero", "enfermera", "enfermeros", "Enfermeras", "ENFERMEROS"),
        ("técnico", "tecnico", "técnica", "Técnicos", "TÉCNICAS"),
        ("gerente", "gerentes"),
        ("director", "directora", "directores", "Directoras"),
        ("diseñador", "disenador", "Diseñadores"),
        ("información", "informaciones"),
        ("luz", "luces"),
        ("enfermería", "ENFERMERÍA", "enfermerías"),
    ],
)
def test_forms_of_one_word_fold_together(forms):
    assert len({fold(plain(w)) for w in forms}) == 1, {w: fold(plain(w)) for w in forms}


def test_different_words_stay_different():
    assert fold(plain("enfermería")) != fold(plain("enfermero"))
    assert fold(plain("técnico")) != fold(plain("tecnólogo"))


def test_words_drop_stopwords_and_punctuation():
    assert words("¿Técnico en Ingeniería Industrial?") == ("tecnic", "ingenieri", "industrial")
    assert words("Gerente de Enfermeros") == words("gerentes de las enfermeras") == ("gerent", "enfermer")
    assert words("de la y") == ()
    assert words("RN (Psychiatric Registered Nurse)") == ("rn", "psychiatric", "registered", "nurs")
