"""The API's OpenAPI schema says everything the API can answer, not only its 200s.

django-ninja writes each operation's 200 from its response schema. The other answers come from
the API's exception handlers and from middleware.OpenDataMiddleware, which ninja does not see:
the 304 to `If-None-Match`, problem details (application/problem+json, RFC 9457) for a bad
parameter (400), a wrong staff key (401), an unknown object (404) and the rate limit (429), and
the headers every answer carries. `OpenDataAPI.get_openapi_schema` adds them, so a client (and
the schema tests) can hold every answer to the schema.
"""

from ninja import NinjaAPI

from .problems import CONTENT_TYPE as PROBLEM_CONTENT_TYPE

STAFF_KEY_SCHEME = "staffKey"
# For operations that read a staff key when one is sent and answer the public data without one.
OPTIONAL_STAFF_KEY = [{}, {STAFF_KEY_SCHEME: []}]

PROBLEM = {
    "title": "Problem",
    "type": "object",
    "description": "En feil som problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string", "description": "Alltid about:blank: statuskoden sier hva slags feil det er."},
        "title": {"type": "string", "description": "Statuskodens navn (Bad Request, Not Found …)."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "HTTP-statuskoden."},
        "detail": {"type": "string", "description": "Hva som gikk galt."},
        "errors": {
            "type": "array",
            "description": "Ved 400 for en ugyldig parameter: hvilken, og hvorfor.",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "ctx": {"type": "object"},
                },
                "required": ["type", "loc", "msg"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

LINK = {
    "description": 'Lisensen: `<https://data.norge.no/nlod/no/2.0>; rel="license"`.',
    "required": True,
    "schema": {"type": "string"},
}
ETAG = {
    "description": "Sammendrag av svaret; send det tilbake i `If-None-Match`.",
    "required": True,
    "schema": {"type": "string"},
}
LAST_MODIFIED = {
    "description": "Når radene i svaret sist ble endret (til opplysning; ETag avgjør).",
    "required": False,
    "schema": {"type": "string"},
}
RETRY_AFTER = {
    "description": "Sekunder til en ny forespørsel telles i et nytt tidsrom.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "ETag fra et tidligere svar: er svaret uendret, kommer 304 uten innhold.",
    "schema": {"type": "string"},
}


def _problem(description: str, **headers) -> dict:
    return {
        "description": description,
        "headers": {"Link": LINK, **headers},
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = PROBLEM
        components.setdefault("securitySchemes", {})[STAFF_KEY_SCHEME] = {
            "type": "http",
            "scheme": "bearer",
            "description": "En personlig API-nøkkel for kommuneansatte (fra kontosiden). Valgfri: uten nøkkel "
            "kommer de offentlige dataene.",
        }
        for methods in schema["paths"].values():
            for operation in methods.values():
                _complete(operation)
        return schema


def _complete(operation: dict) -> None:
    parameters = operation.setdefault("parameters", [])
    has_path_parameter = any(parameter["in"] == "path" for parameter in parameters)
    parameters.append(IF_NONE_MATCH)
    responses = operation["responses"]
    responses[200]["headers"] = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED, "Link": LINK}
    responses[304] = {
        "description": "Uendret: `If-None-Match` passer med svarets ETag. Uten innhold.",
        "headers": {"ETag": ETAG, "Link": LINK},
    }
    responses[400] = _problem("Ugyldig parameter eller peker (cursor).")
    if operation.get("security"):
        responses[401] = _problem("Ukjent eller tilbaketrukket API-nøkkel.")
    if has_path_parameter:
        responses[404] = _problem("Finnes ikke, eller er ikke offentlig.")
    responses[429] = _problem("For mange forespørsler fra samme klient.", **{"Retry-After": RETRY_AFTER})
