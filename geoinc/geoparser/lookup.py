"""The gazetteer look-ups the recogniser makes per token, answered from the gazetteer's own memo first.

Each function returns exactly what the :class:`~geoinc.gazetteer.index.Gazetteer` method of the same name
returns: it reads the memo that method keeps (a dict the method fills on its first call for a word and
clears when places are remembered) and calls the method only when the word is not in it yet. Why: the
recogniser asks ~400 such questions per article, nearly all of them answered by the memo, and under the
compiled twin a dict read is a native call where the (interpreted) method costs a Python frame each.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import name_key

if TYPE_CHECKING:
    from ..gazetteer.index import Candidate, Gazetteer


def candidates(gaz: "Gazetteer", name: str) -> tuple["Candidate", ...]:
    """``gaz.candidates(name)``."""
    hit = gaz._names_cache.get(name)
    return hit if hit is not None else gaz.candidates(name)


def loose_candidates(gaz: "Gazetteer", name: str) -> tuple["Candidate", ...]:
    """``gaz.loose_candidates(name)``."""
    hit = gaz._loose_by_name.get(name)
    return hit if hit is not None else gaz.loose_candidates(name)


def max_tokens(gaz: "Gazetteer", head: str) -> int:
    """``gaz.max_tokens(head)``."""
    hit = gaz._heads.get(head)
    return hit if hit is not None else gaz.max_tokens(head)


def word_zipf(gaz: "Gazetteer", word: str) -> float:
    """``gaz.word_zipf(word)``."""
    hit = gaz._words.get(word.lower())
    return hit if hit is not None else gaz.word_zipf(word)


def is_given_name(gaz: "Gazetteer", word: str) -> bool:
    """``gaz.is_given_name(word)``."""
    hit = gaz._given.get(name_key(word))
    return hit if hit is not None else gaz.is_given_name(word)


def demonym(gaz: "Gazetteer", word: str) -> str | None:
    """``gaz.demonym(word)`` (its memo also keeps the words that are no demonym, as None)."""
    memo = gaz._demonym_by_word
    if word in memo:
        return memo[word]
    return gaz.demonym(word)


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources.
if __name__ == "geoinc.geoparser.lookup":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
