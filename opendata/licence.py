"""The licence and source statement that every open-data response carries."""

from django.conf import settings

LICENCE = {
    "name": "Norsk lisens for offentlige data (NLOD) 2.0",
    "url": "https://data.norge.no/nlod/no/2.0",
}
BRREG_ATTRIBUTION = "Kilde: Brønnøysundregistrene"
# The Link header says the same to clients that read only headers (errors, the schema, 304s).
LICENCE_LINK = f'<{LICENCE["url"]}>; rel="license"'


def portal_attribution() -> str:
    return f"Kilde: {settings.PORTAL_NAME}"


def attribution(*, brreg: bool = False) -> list[str]:
    """Who to credit: the portal, and Brønnøysundregistrene where data came from Enhetsregisteret."""
    return [portal_attribution(), BRREG_ATTRIBUTION] if brreg else [portal_attribution()]
