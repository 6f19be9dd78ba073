"""The examples in the docstrings are part of the API documentation: keep them true."""

import doctest

import pytest

import zonedesk.extract
import zonedesk.textnorm.charmap
import zonedesk.textnorm.dates
import zonedesk.textnorm.numerals
import zonedesk.textnorm.quantities


@pytest.mark.parametrize(
    "module",
    [
        zonedesk.extract,
        zonedesk.textnorm.charmap,
        zonedesk.textnorm.dates,
        zonedesk.textnorm.numerals,
        zonedesk.textnorm.quantities,
    ],
    ids=lambda m: m.__name__,
)
def test_docstring_examples_hold(module):
    failed, attempted = doctest.testmod(module)
    assert attempted > 0
    assert failed == 0
