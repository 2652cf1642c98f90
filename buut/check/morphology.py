"""Dutch word forms, generated from a lemma: what an editor writes once in `glossary.yml` (`woorden`)
becomes every form the check looks for.

- a noun: plurals (-en, -s, -'s, with the spelling changes: gesprek → gesprekken, aanvraag →
  aanvragen), diminutives (-je, -tje, -etje, -pje, -kje) and their plurals;
- a verb: present tense, weak past tense ('t kofschip), participle (ge- unless the verb has a
  prefix without stress), the participle as adjective (-e), the present participle as adjective
  (-end, -ende), the nominalisation (-ing, -ingen); strong past forms come from the glossary;
- a separable verb (`partikel`): the joined forms (doorverwijst, opgeschaald) and, apart, the finite
  forms that the check pairs with the particle in the clause (verwijst … door).

Forms are lower case without diacritics, as the check compares them (`fold`). Over-generation is
harmless: a form that is not Dutch never occurs in a page. `tests/test_morphology.py` checks the
generator against the Dutch lemmatiser simplemma.
"""
from __future__ import annotations

from dataclasses import dataclass

VOWELS = "aeiou"
KOFSCHIP = tuple("tkfsxp") + ("ch",)  # a stem ending in one of these takes -te(n) in the past tense
UNSTRESSED_PREFIXES = ("be", "ge", "her", "ont", "er", "ver")  # no ge- in the participle


@dataclass(frozen=True)
class Forms:
    joined: frozenset[str]  # whole-word forms (and, for a separable verb, the joined forms)
    finite: frozenset[str] = frozenset()  # a separable verb's forms without its particle
    particle: str = ""


def _single_vowel_before(word: str, index: int) -> bool:
    """Is word[index] one vowel (a, e, o, u) that is not part of a pair (aa, ei, ou …)?"""
    return (word[index] in "aeou" and (index == 0 or word[index - 1] not in VOWELS + "ij")
            and (index + 1 >= len(word) or word[index + 1] not in VOWELS))


def _short_vowel_closed(word: str) -> bool:
    """gesprek, plan: ends in one consonant after one short vowel (so the consonant doubles)."""
    return (len(word) >= 3 and word[-1] not in VOWELS + "wxy" and _single_vowel_before(word, len(word) - 2)
            and not word.endswith(("ing", "en", "el", "er", "em", "je")))


def noun_forms(lemma: str) -> set[str]:
    lemma = lemma.lower()
    forms = {lemma, lemma + "s", lemma + "en"}
    stems = {lemma}
    if lemma[-1] in VOWELS + "y":
        forms |= {lemma + "'s", lemma + "n"}
    if _short_vowel_closed(lemma):
        stems.add(lemma + lemma[-1])  # gesprek → gesprekk-en
    if len(lemma) >= 3 and lemma[-3] == lemma[-2] and lemma[-2] in "aeou" and lemma[-1] not in VOWELS:
        stems.add(lemma[:-2] + lemma[-1])  # aanvraag → aanvrag-en
    for stem in list(stems):
        if stem[-1] in "fs":
            stems.add(stem[:-1] + {"f": "v", "s": "z"}[stem[-1]])  # huis → huiz-en
    forms |= {stem + "en" for stem in stems}
    diminutives = {lemma + "je", lemma + "tje", lemma + "pje"}
    if _short_vowel_closed(lemma):
        diminutives.add(lemma + lemma[-1] + "etje")  # plan → plannetje
    if lemma.endswith("ing"):
        diminutives.add(lemma[:-1] + "kje")  # woning → woninkje
    forms |= diminutives | {d + "s" for d in diminutives}
    return forms


def _stem(infinitive: str) -> tuple[str, str]:
    """(stem as written, stem before the spelling rules) of a verb: schalen → (schaal, schal)."""
    raw = infinitive[:-2] if infinitive.endswith("en") else infinitive[:-1]
    base = raw
    if len(raw) >= 2 and raw[-1] == raw[-2] and raw[-1] not in VOWELS:
        base = raw[:-1]  # zeggen → zeg
    elif len(raw) >= 2 and raw[-1] not in VOWELS and _single_vowel_before(raw, len(raw) - 2):
        base = raw[:-1] + raw[-2] + raw[-1]  # an open syllable's vowel is written double: schal → schaal
    if base[-1] in "zv":
        base = base[:-1] + {"z": "s", "v": "f"}[base[-1]]  # verwijz → verwijs
    return base, raw


def verb_forms(infinitive: str, particle: str = "", past: tuple[str, ...] = (), participle: str = "") -> Forms:
    infinitive, particle = infinitive.lower(), particle.lower()
    if particle and infinitive.startswith(particle):
        infinitive = infinitive[len(particle):]  # doorverwijzen → verwijzen, with particle door
    stem, raw = _stem(infinitive)
    suffix = "t" if raw.endswith(KOFSCHIP) else "d"
    finite = {stem, infinitive, stem if stem.endswith("t") else stem + "t"}
    weak_past = {stem + suffix + "e", stem + suffix + "en"} if not past else set()
    finite |= set(p.lower() for p in past) | weak_past
    if participle:
        participles = {participle.lower()}
    else:
        prefix = "" if infinitive.startswith(UNSTRESSED_PREFIXES) else "ge"  # geïndiceerd folds to geindiceerd
        participles = {prefix + stem + ("" if stem.endswith(("t", "d")) else suffix)}
    nominal = {raw + "ing", raw + "ingen"}
    adjectives = {infinitive + "d", infinitive + "de"} | {p + "e" for p in participles if not p.endswith("en")}
    if particle:
        joined = {particle + f for f in finite | nominal | adjectives}
        joined |= {particle + p for p in participles}  # the particle goes before ge-: opgeschaald
        return Forms(frozenset(joined), frozenset(finite | participles), particle)
    return Forms(frozenset(finite | participles | nominal | adjectives))
