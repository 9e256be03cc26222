import pytest
from django.core.exceptions import ValidationError

from organizations.domain import validate_org_number
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
    ],
)
def test_invalid_numbers_say_what_is_wrong(value, message):
    with pytest.raises(ValidationError) as error:
        validate_org_number(value)
    assert message in error.value.messages[0]


@pytest.mark.parametrize("value", ["988077918", "988077910", "100000130"])
def test_a_wrong_check_digit_is_invalid_without_giving_the_right_digit_away(value):
    with pytest.raises(ValidationError) as error:
        validate_org_number(value)
    message = error.value.messages[0]
    assert error.value.error_list[0].code == "org_number_checksum"
    assert message == (
        f"Organisasjonsnummeret {value} er ikke gyldig. Sjekk at sifrene er riktige, eller finn nummeret i "
        "Enhetsregisteret på https://www.brreg.no/."
    )
    # The right check digit of 98807791 is 7; no message may name it or hint at it.
    assert "sifferet" not in message and "988077917" not in message and " 7" not in message


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
