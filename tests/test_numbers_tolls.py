"""Article tolls read as ACLED codes them: earlier tolls replaced by the main report's figure,
victims in apposition or coordination, one named person killed."""
from datetime import date

import pytest

import conflictatlas
from conflictatlas.stages.numbers import fatalities


@pytest.fixture(scope="module")
def nlp():
    return conflictatlas.load()


def toll(nlp, text):
    doc = nlp(conflictatlas.Document(id="t", text=text, published=date(2024, 3, 11)))
    return fatalities(doc)[0]


@pytest.mark.parametrize("text,expected", [
    # an earlier, lower toll is replaced by the report's own figure, wherever it is told
    ("Rebels ambushed an army convoy near the border on Sunday, killing 21 soldiers, a monitor said. "
     "State television had earlier given a toll of 16 dead.", 21),
    ("At first, officials reported four deaths in the shelling of the market. "
     "Rebel shelling of the market on Friday killed nine people, the governor said.", 9),
    ("The toll rose to 30 from the 12 dead first reported after the bombing of the bus station.", 30),
    # a later figure that is smaller is not a revision: the earlier toll stays
    ("At first, officials reported four deaths in the shelling of the market on Friday. "
     "Two of the dead were children.", 4),
    # a part told in apposition is not a second group
    ("Police said that four people, three of them teachers, were killed when gunmen attacked a school.", 4),
    # "two guards and a driver": the driver counts too
    ("Gunmen opened fire on the convoy, killing two guards and a driver and wounding a passenger.", 3),
    # one named person
    ("A farmer was attacked by armed men in his field on Monday. Karimov died on the spot.", 1),
    ("Local trader Ravi Menon, 41, who ran a shop in the market, was gunned down on Monday.", 1),
    # not a name
    ("Militants attacked the village on Monday. Many died on the spot.", 3),
])
def test_article_tolls(nlp, text, expected):
    assert toll(nlp, text) == expected
