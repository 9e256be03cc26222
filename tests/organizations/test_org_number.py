import pytest
from django.core.exceptions import ValidationError

from organizations.domain import expected_org_number_check_digit, validate_org_number
from organizations.models import Association
from tests.organizations.factories import AssociationFactory, MunicipalityFactory

VALID = "988077917"


@pytest.mark.parametrize("value", [VALID, "988 077 917", " 988077917 ", "100000040"])
def test_valid_numbers_pass(value):
    validate_org_number(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("98807791", "ni sifre, men har 8"),
        ("9880779170", "ni sifre, men har 10"),
        ("98807791A", "bare inneholde sifre"),
        ("988-077-917", "bare inneholde sifre"),
        ("988077918", "det siste sifferet være 7"),
        ("100000130", "det finnes ikke noe organisasjonsnummer som begynner med 10000013"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(value, message):
    with pytest.raises(ValidationError) as error:
        validate_org_number(value)
    assert message in error.value.messages[0]


def test_check_digit_rules():
    assert expected_org_number_check_digit("98807791") == 7
    assert expected_org_number_check_digit("10000004") == 0  # remainder 0 gives check digit 0
    assert expected_org_number_check_digit("10000013") is None  # remainder 1: no valid number


@pytest.mark.django_db
def test_model_validation_normalises_and_rejects():
    municipality = MunicipalityFactory()
    association = Association(
        name="Sjakklubben", slug="sjakklubben", municipality=municipality, org_number="988 077 917"
    )
    association.full_clean()
    assert association.org_number == VALID

    association.org_number = "   "
    association.full_clean()
    assert association.org_number is None

    association.org_number = "988077918"
    with pytest.raises(ValidationError) as error:
        association.full_clean()
    assert "org_number" in error.value.message_dict


@pytest.mark.django_db
def test_org_number_is_unique_when_present_and_blank_many_times():
    AssociationFactory(org_number=VALID)
    AssociationFactory(org_number=None)
    AssociationFactory(org_number=None)
    duplicate = AssociationFactory.build(org_number=VALID, municipality=MunicipalityFactory())
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "org_number" in error.value.message_dict
