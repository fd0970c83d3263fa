"""Two pages for people: the API's documentation, and your own API token."""

from django.contrib import messages
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from core.clock import today


def _operations(schema: dict) -> list[dict]:
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = []
            for parameter in operation.get("parameters", []):
                schema_part = parameter.get("schema", {})
                kind = schema_part.get("format") or schema_part.get("type", "")
                if schema_part.get("type") == "array":
                    kind = "list of " + schema_part.get("items", {}).get("type", "")
                choices = schema_part.get("enum") or schema_part.get("items", {}).get("enum")
                parameters.append(
                    {
                        "name": parameter["name"],
                        "where": parameter.get("in"),
                        "type": kind,
                        "choices": choices,
                        "description": parameter.get("description", ""),
                    }
                )
            fields = []
            ref = None
            responses = operation.get("responses", {}).get("200", {})
            content = responses.get("content", {}).get("application/json", {}).get("schema", {})
            ref = content.get("$ref", "")
            if ref:
                component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                results = component.get("properties", {}).get("results", {})
                item_ref = results.get("items", {}).get("$ref")
                if item_ref:
                    component = schema["components"]["schemas"][item_ref.rsplit("/", 1)[-1]]
                for name, prop in component.get("properties", {}).items():
                    kind = prop.get("format") or prop.get("type", "")
                    if not kind and ("allOf" in prop or "oneOf" in prop):
                        kind = "text (one of a list)"
                    fields.append(
                        {
                            "name": name,
                            "type": kind,
                            "nullable": prop.get("nullable", False),
                            "description": prop.get("description", ""),
                        }
                    )
            endpoints.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "fields": fields,
                    "anchor": operation.get("operationId", path),
                }
            )
    return endpoints


def api_docs(request):
    """How to read the plan from Power BI: authentication, endpoints, filters and fields."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    endpoints = [op for op in _operations(schema) if op["method"] == "GET"]
    return render(
        request,
        "api/docs.html",
        {
            "endpoints": [e for e in endpoints if not e["path"].endswith("{id}/")],
            "base_url": request.build_absolute_uri("/api/"),
            "today": today(),
        },
    )


@require_http_methods(["GET", "POST"])
def api_token(request):
    """See whether you have an API token, and create or replace it (shown once)."""
    token = Token.objects.filter(user=request.user).first()
    new_key = None
    if request.method == "POST":
        if token is not None:
            token.delete()
        token = Token.objects.create(user=request.user)
        new_key = token.key
        messages.success(
            request,
            "Your new API token is shown below. Copy it now: it will not be shown again.",
        )
        return render(request, "api/token.html", {"token": token, "new_key": new_key})
    return render(request, "api/token.html", {"token": token, "new_key": new_key})
