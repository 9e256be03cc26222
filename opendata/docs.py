"""The API's documentation page, written on the server from the same OpenAPI schema that
/api/v1/openapi.json serves: every operation with its parameters, the shape of its answer and a
curl example. Plain HTML with headings and tables, so it needs no script and reads well with a
screen reader."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .api import api
from .licence import BRREG_ATTRIBUTION, LICENCE, portal_attribution

# The example values a curl line fills in for a path parameter.
EXAMPLE_PATH_VALUES = {"number": "4601", "slug": "bergen-sjakklubb", "meeting_id": "1", "letter_id": "1"}
MAX_DEPTH = 4


@dataclass
class Parameter:
    name: str
    location: str
    type: str
    required: bool
    description: str


@dataclass
class Field:
    path: str
    type: str
    required: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Parameter]
    fields: list[Field]
    curl: str


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components.get(_ref_name(schema["$ref"]), {})
    return schema


def type_name(schema: dict, components: dict) -> str:
    """A short, readable name for a JSON schema type: «string», «integer | null», «liste av string»."""
    if "$ref" in schema:
        return _("objekt")
    if "anyOf" in schema:
        return " | ".join(type_name(option, components) for option in schema["anyOf"])
    if "enum" in schema:
        return _("en av: %(values)s") % {"values": ", ".join(str(value) for value in schema["enum"])}
    if "const" in schema:
        return str(schema["const"])
    kind = schema.get("type", "")
    if kind == "array":
        return _("liste av %(type)s") % {"type": type_name(schema.get("items", {}), components)}
    if kind == "object":
        return _("objekt")
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return kind or _("hva som helst")


def _object_of(schema: dict, components: dict) -> tuple[dict | None, str]:
    """The object schema under `schema` (maybe inside anyOf or a list), and the path suffix to it."""
    if "$ref" in schema:
        return _resolve(schema, components), ""
    if schema.get("type") == "array":
        inner, suffix = _object_of(schema.get("items", {}), components)
        return inner, "[]" + suffix
    for option in schema.get("anyOf", []):
        inner, suffix = _object_of(option, components)
        if inner is not None:
            return inner, suffix
    if schema.get("type") == "object" and "properties" in schema:
        return schema, ""
    return None, ""


def response_fields(schema: dict, components: dict, prefix: str = "", depth: int = 0) -> list[Field]:
    """Every field of an answer, nested ones as dotted paths (data[].municipality.number)."""
    schema = _resolve(schema, components)
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        description = prop.get("description") or _resolve(prop, components).get("description", "")
        rows.append(Field(path, type_name(prop, components), name in required, description))
        inner, suffix = _object_of(prop, components)
        if inner is not None and depth < MAX_DEPTH:
            rows += response_fields(inner, components, f"{path}{suffix}.", depth + 1)
    return rows


def _curl(base_url: str, path: str, parameters: list[Parameter]) -> str:
    for parameter in parameters:
        if parameter.location == "path":
            path = path.replace(f"{{{parameter.name}}}", EXAMPLE_PATH_VALUES.get(parameter.name, "1"))
    example = {"kommune": "4601", "limit": "20"}
    query = "&".join(f"{p.name}={example[p.name]}" for p in parameters if p.location == "query" and p.name in example)
    url = f"{base_url}{path}" + (f"?{query}" if query else "")
    return f"curl -s '{url}'"


def operations(schema: dict, *, base_url: str) -> list[Operation]:
    components = schema.get("components", {}).get("schemas", {})
    result = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                Parameter(
                    name=parameter["name"],
                    location=parameter["in"],
                    type=type_name(parameter.get("schema", {}), components),
                    required=bool(parameter.get("required")),
                    description=parameter.get("description") or parameter.get("schema", {}).get("description", ""),
                )
                for parameter in operation.get("parameters", [])
            ]
            answers = operation.get("responses", {})
            answer = answers.get(200) or answers.get("200") or {}
            body = answer.get("content", {}).get("application/json", {}).get("schema", {})
            result.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=operation.get("operationId", path),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=parameters,
                    fields=response_fields(body, components),
                    curl=_curl(base_url, path, parameters),
                )
            )
    return result


@require_GET
def api_docs(request):
    schema = api.get_openapi_schema()
    base_url = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "opendata/docs.html",
        {
            "info": schema["info"],
            "operations": operations(schema, base_url=base_url),
            "licence": LICENCE,
            "attributions": [portal_attribution(), BRREG_ATTRIBUTION],
            "schema_url": reverse("opendata:openapi-json"),
            "base_url": base_url,
            "downloads": [
                reverse(f"download_{name}_{fmt}") for name in ("associations", "meetings") for fmt in ("csv", "jsonl")
            ],
        },
    )
