from decimal import Decimal

import pytest

from practicum.projects import money
from practicum.projects.models import Project


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("600.00", "EUR", 60000),
        ("600", "EUR", 60000),
        ("0.5", "USD", 50),
        ("600", "JPY", 600),
        ("1.234", "KWD", 1234),
    ],
)
def test_major_to_minor_units(amount, currency, minor):
    assert money.to_minor(Decimal(amount), currency) == minor
    assert money.to_major(minor, currency) == Decimal(amount)


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("600.001", "EUR", "EUR amounts have at most 2 decimal places"),
        ("600.5", "JPY", "JPY amounts are whole numbers"),
    ],
)
def test_more_decimals_than_the_currency_has_is_refused(amount, currency, message):
    with pytest.raises(ValueError, match=message):
        money.to_minor(Decimal(amount), currency)


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [(60000, "EUR", "600.00 EUR"), (123456789, "USD", "1,234,567.89 USD"), (600, "JPY", "600 JPY")],
)
def test_format(minor, currency, shown):
    assert money.format_money(minor, currency) == shown


def test_the_currency_list_is_iso_4217():
    assert money.is_currency("EUR")
    assert not money.is_currency("eur")  # the services upper-case input first
    assert not money.is_currency("XAU")  # gold is not pay
    assert all(len(code) == 3 and code.isupper() for code in money.CURRENCIES)
    assert {digits for _, digits in money.CURRENCIES.values()} == {0, 2, 3}


@pytest.mark.parametrize(
    ("amount", "currency", "hours", "hourly"),
    [
        (60000, "EUR", 40, "15.00 EUR"),
        (10000, "EUR", 3, "33.33 EUR"),
        (5000, "JPY", 3, "1,667 JPY"),
    ],
)
def test_the_hourly_equivalent(amount, currency, hours, hourly):
    project = Project(compensation_amount=amount, currency=currency, estimated_hours=hours)
    assert project.hourly_display == hourly


def test_no_hourly_equivalent_without_hours():
    assert Project(compensation_amount=100, estimated_hours=None).hourly_display == ""
