"""Path converters for the parts of the portal's URLs that are neither numbers nor slugs.

A part that cannot be a municipality number or an invitation key does not match, so the page
answers 404 before any lookup sees it.
"""

from django.urls import register_converter


class _TextConverter:
    regex: str

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class MunicipalityNumberConverter(_TextConverter):
    """A kommunenummer: four digits, as organizations.domain requires of the model."""

    regex = "[0-9]{4}"


class CountyNumberConverter(_TextConverter):
    """A fylkesnummer: two digits, the first two of the kommunenummer of its municipalities."""

    regex = "[0-9]{2}"


class TokenConverter(_TextConverter):
    """An invitation key: the characters secrets.token_urlsafe gives, no longer than the model stores."""

    regex = "[A-Za-z0-9_-]{1,64}"


register_converter(MunicipalityNumberConverter, "kommunenummer")
register_converter(CountyNumberConverter, "fylkesnummer")
register_converter(TokenConverter, "token")
