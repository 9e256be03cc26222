"""The interface languages, and which of them a page is shown in.

A page is in the language the visitor chose with the language switch (Django's language cookie);
without that choice, in what Django's LocaleMiddleware found: the browser's Accept-Language, else
Bokmål. A municipality's own pages (its calendar, its part of the directory, its meetings and
associations, its published letters) go further, since a browser's "Norwegian" seldom says Bokmål
or Nynorsk on purpose:

- a signed-in person reads them in the language stored on their account (User.preferred_language,
  the language of their emails, set on the account page);
- anyone else whose browser asks for Norwegian, or for nothing in particular, reads them in the
  municipality's målform. It is remembered in a cookie of its own, so that signing up and
  registering for the meeting go on in it, until a page of another municipality sets another or
  the visitor chooses on the switch. A browser that asks for English keeps English.
"""

from django import template
from django.conf import settings
from django.utils import translation

# The switch names each language in that language, so a reader finds their own whatever language
# the page is in now.
NAMES_IN_THEMSELVES = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}
NORWEGIAN = {"nb", "nn"}
WRITTEN_STANDARD_COOKIE = "malform"


def chosen_on_the_switch(request) -> bool:
    return request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in dict(settings.LANGUAGES)


def _use(request, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language


def signed_in(request) -> bool:
    # Only a request with a session cookie can be signed in: the others (the API, the feeds, first
    # visits) never load a session here.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


class PageLanguageMiddleware:
    """Keeps the målform a municipality's page chose for a visitor who is not signed in, on the
    pages that follow. After LocaleMiddleware and AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.browser_language = translation.get_language()
        remembered = request.COOKIES.get(WRITTEN_STANDARD_COOKIE)
        if (
            remembered in NORWEGIAN
            and request.browser_language in NORWEGIAN
            and not chosen_on_the_switch(request)
            and not signed_in(request)
        ):
            _use(request, remembered)
        response = self.get_response(request)
        written_standard = getattr(request, "written_standard_language", None)
        if written_standard and remembered != written_standard:
            response.set_cookie(
                WRITTEN_STANDARD_COOKIE,
                written_standard,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def use_written_standard(request, written_standard: str | None) -> None:
    """For a municipality's page, with its målform ("nb", "nn" or "neutral", which reads Bokmål):
    see the module's docstring."""
    if not written_standard or chosen_on_the_switch(request):
        return
    if signed_in(request):
        if request.user.preferred_language in dict(settings.LANGUAGES):
            _use(request, request.user.preferred_language)
        return
    if getattr(request, "browser_language", translation.get_language()) not in NORWEGIAN:
        return
    language = "nn" if written_standard == "nn" else "nb"
    _use(request, language)
    request.written_standard_language = language


register = template.Library()


@register.simple_tag
def interface_languages():
    """[(code, name in that language)] for the language switch, in the order of settings.LANGUAGES."""
    return [(code, NAMES_IN_THEMSELVES.get(code, code)) for code, _name in settings.LANGUAGES]
