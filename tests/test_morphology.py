"""Dutch word forms generated from a lemma (buut/check/morphology.py), checked against simplemma."""
from __future__ import annotations

import pytest

from buut.check.terminology import _forms
from buut.check.glossary import load_glossary
from buut.check.morphology import noun_forms, verb_forms
from conftest import ROOT

simplemma = pytest.importorskip("simplemma")  # in the test extras; scripts/test.sh installs it


@pytest.mark.parametrize("lemma, forms", [
    ("gesprek", ["gesprekken", "gesprekje", "gesprekjes"]),
    ("plan", ["plannen", "plannetje"]),
    ("huis", ["huizen", "huisje"]),
    ("aanvraag", ["aanvragen", "aanvraagje"]),
    ("woning", ["woningen", "woninkje"]),
    ("intake", ["intakes"]),
])
def test_plurals_and_diminutives(lemma, forms):
    generated = noun_forms(lemma)
    for form in forms:
        assert form in generated, form
        # simplemma knows the form as one of the lemma (a diminutive plural may lead to the diminutive)
        assert simplemma.lemmatize(form, lang="nl") in (lemma, form, form[:-1])


@pytest.mark.parametrize("infinitive, particle, past, participle, forms", [
    ("melden", "", (), "", ["meld", "meldt", "meldde", "meldden", "gemeld", "gemelde", "meldend", "melding",
                            "meldingen"]),
    ("wonen", "", (), "", ["woon", "woont", "woonde", "gewoond"]),
    ("indiceren", "", (), "", ["indiceert", "indiceerde", "geindiceerd", "indicering"]),
    ("opschalen", "op", (), "", ["opschaalt", "opschaalde", "opgeschaald", "opschaling", "opschalende"]),
    ("doorverwijzen", "door", ("verwees", "verwezen"), "verwezen",
     ["doorverwijst", "doorverwees", "doorverwezen", "doorverwijzing", "doorverwijzende"]),
])
def test_verb_forms(infinitive, particle, past, participle, forms):
    generated = verb_forms(infinitive, particle, past, participle).joined
    for form in forms:
        assert form in generated, form


def test_separable_verbs_give_their_finite_forms_apart():
    forms = verb_forms("doorverwijzen", "door", ("verwees", "verwezen"), "verwezen")
    assert {"verwijst", "verwijzen", "verwees"} <= forms.finite and forms.particle == "door"


# Forms that are also another word; harmless where the check pairs them with a particle.
HOMOGRAPHS = {"schalen": "schaal"}


def test_every_known_generated_form_of_the_glossary_belongs_to_its_lemma():
    """Where simplemma knows a generated form, it must lead back to the lemma (or its verb or -ing)."""
    glossary = load_glossary(ROOT / "glossary.yml")
    checked = 0
    for _, term in glossary.terms():
        for woord, forms in zip(term.woorden, _forms(term)):
            lemma = woord.lemma.lower()
            base = lemma[len(woord.partikel):] if woord.partikel and lemma.startswith(woord.partikel) else lemma
            allowed = {lemma, base, lemma[:-2] + "ing", base[:-2] + "ing"}
            for form in forms.joined | forms.finite:
                known = simplemma.lemmatize(form, lang="nl")
                if known == form or HOMOGRAPHS.get(form) == known:
                    continue
                checked += 1
                assert known in allowed or known.replace("ï", "i") in allowed, (form, known, lemma)
    assert checked >= 20
