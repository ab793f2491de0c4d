"""The Public API side: envelopes, statuses, the three pagination encodings, validation, rate limits,
media types, secret masking, and every required field of the SDK models in every answer."""

from __future__ import annotations

import json

import pytest

from mappings import load_map

API = load_map()
SCALARS = {
    "str": str,
    "bool": bool,
    "number": (int, float),
    "int": int,
    "object": dict,
}


def conforms(model: str, value, where: str = "") -> list[str]:
    """Problems the Python SDK's pydantic models would raise on `value` (extra keys are fine)."""
    spec = API.public_models.get(model)
    if spec is None or spec.one_of:
        return []
    if not isinstance(value, dict):
        return [f"{where or model}: not an object"]
    problems = []
    for field in spec.fields:
        path = f"{where}.{field.name}" if where else field.name
        if field.name not in value or value[field.name] is None:
            if field.required:
                problems.append(f"{path}: required field missing ({model})")
            continue
        problems += conforms_value(field.type, value[field.name], path, field.enum)
    return problems


def conforms_value(type_name: str, value, path: str, enum=None) -> list[str]:
    if type_name.endswith("[]"):
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        return [p for i, item in enumerate(value) for p in conforms_value(type_name[:-2], item, f"{path}[{i}]", enum)]
    if type_name == "any":
        return []
    if type_name in SCALARS:
        if not isinstance(value, SCALARS[type_name]) or (type_name != "bool" and isinstance(value, bool)):
            return [f"{path}: not {type_name}"]
        if enum and value not in enum:
            return [f"{path}: {value!r} not in {enum}"]
        return []
    return conforms(type_name, value, path)


def data(response, status: int = 200):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"data"}
    return body["data"]


def errors(response, status: int, kind: str | None = None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors"}
    if kind is not None:
        assert body["errors"][0]["type"] == kind
    return body["errors"][0]


@pytest.mark.parametrize(
    ("path", "key", "model"),
    [
        ("/", "workspace", "WorkspaceV1"),
        ("/sources", "sources", "SourceV1"),
        ("/destinations", "destinations", "DestinationV1"),
        ("/tracking-plans", "trackingPlans", "TrackingPlanV1"),
        ("/functions?resourceType=SOURCE", "functions", "ListFunctionItemV1"),
        ("/regulations", "regulations", "RegulationListEntryV1"),
        ("/catalog/sources", "sourcesCatalog", "SourceMetadataV1"),
        ("/catalog/destinations", "destinationsCatalog", "DestinationMetadataV1"),
        ("/catalog/warehouses", "warehousesCatalog", "WarehouseMetadataV1"),
        ("/warehouses", "warehouses", "WarehouseV1"),
        ("/users", "users", "UserV1"),
        ("/roles", "roles", "RoleV1"),
        ("/suppressions", "suppressed", "SuppressedInner"),
        ("/labels", "labels", "LabelV1"),
    ],
)
def test_every_answer_satisfies_the_sdk_models(public, path, key, model):
    body = data(public.get(path))
    items = body[key] if isinstance(body[key], list) else [body[key]]
    assert items
    assert [problem for item in items for problem in conforms(model, item)] == []
    if "pagination" in body:
        assert conforms("PaginationOutput", body["pagination"]) == []


def test_single_objects_satisfy_the_sdk_models(public):
    source = data(public.get("/sources"))["sources"][0]
    assert conforms("SourceV1", data(public.get(f"/sources/{source['id']}"))["source"]) == []
    destination = data(public.get("/destinations"))["destinations"][0]
    assert conforms("DestinationV1", data(public.get(f"/destinations/{destination['id']}"))["destination"]) == []
    filters = data(public.get(f"/destination/{destination['id']}/filters"))["filters"]
    assert [p for item in filters for p in conforms("DestinationFilterV1", item)] == []
    regulation = data(public.get("/regulations"))["regulations"][0]
    assert conforms("Regulation", data(public.get(f"/regulations/{regulation['id']}"))["regulation"]) == []
    plan = data(public.get("/tracking-plans"))["trackingPlans"][0]
    rules = data(public.get(f"/tracking-plans/{plan['id']}/rules"))["rules"]
    assert [p for rule in rules for p in conforms("RuleV1", rule)] == []
    function = data(public.get("/functions?resourceType=DESTINATION"))["functions"][0]
    assert conforms("FunctionV1", data(public.get(f"/functions/{function['id']}"))["function"]) == []


def test_created_is_201_exactly_where_the_surface_says(public):
    catalog = {item["slug"]: item["id"] for item in data(public.get("/catalog/sources"))["sourcesCatalog"]}
    created = data(
        public.post("/sources", json={"slug": "new-app", "enabled": True, "metadataId": catalog["ios"]}), 201
    )
    assert created["source"]["slug"] == "new-app"
    destinations = {
        item["slug"]: item["id"] for item in data(public.get("/catalog/destinations"))["destinationsCatalog"]
    }
    body = {"sourceId": created["source"]["id"], "metadataId": destinations["slack"], "settings": {}}
    assert public.post("/destinations", json=body).status_code == 200
    assert public.post("/labels", json={"label": {"key": "tier", "value": "gold"}}).status_code == 201


@pytest.mark.parametrize(
    "query",
    [
        "pagination.count=5",
        "pagination%5Bcount%5D=5",
        "pagination=" + json.dumps({"count": 5}),
    ],
    ids=["dot", "bracket", "json"],
)
def test_three_pagination_encodings_agree(public, query):
    first = data(public.get(f"/sources?{query}"))
    assert len(first["sources"]) == 5
    assert first["pagination"]["totalEntries"] == 14
    cursor = first["pagination"]["next"]
    second = data(public.get("/sources", params={"pagination": json.dumps({"count": 5, "cursor": cursor})}))
    assert second["pagination"]["previous"] == first["pagination"]["current"]
    assert {s["id"] for s in first["sources"]}.isdisjoint(s["id"] for s in second["sources"])


def test_pagination_walks_to_the_end_without_next(public):
    seen, cursor = [], None
    while True:
        params = {"pagination[count]": "6", **({"pagination[cursor]": cursor} if cursor else {})}
        body = data(public.get("/destinations", params=params))
        seen += [item["id"] for item in body["destinations"]]
        cursor = body["pagination"].get("next")
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 28


def test_pagination_count_out_of_range_is_422(public):
    problem = errors(public.get("/sources?pagination.count=5000"), 422, "input-validation")
    assert problem["field"] == "pagination.count"


def test_unknown_id_is_404_not_found(public):
    errors(public.get("/sources/nope"), 404, "not-found")


def test_unknown_route_is_404(public):
    errors(public.get("/no/such/route"), 404, "not-found")


def test_missing_or_config_token_is_401(anonymous, config):
    errors(anonymous.get("/sources"), 401)
    errors(config.get("/sources"), 401)


def test_validation_errors_are_422_with_field(public):
    problem = errors(public.post("/sources", json={"slug": "x", "enabled": True}), 422, "input-validation")
    assert problem["field"] == "metadataId"
    problem = errors(public.post("/sources", json={"slug": "x", "enabled": "yes", "metadataId": "m"}), 422)
    assert problem["field"] == "enabled"
    problem = errors(public.post("/sources", json={"slug": "x", "enabled": True, "metadataId": "m", "colour": 1}), 422)
    assert problem["field"] == "colour"


def test_enum_values_are_validated(public):
    body = {"regulationType": "Suppress", "subjectType": "USER_ID", "subjectIds": ["u"]}
    assert errors(public.post("/regulations", json=body), 422)["field"] == "regulationType"


def test_malformed_json_is_422_as_every_operation_documents_bad_input_and_the_server_keeps_serving(public):
    errors(public.post("/sources", content=b"{nope"), 422, "input-validation")
    assert public.get("/").status_code == 200


def test_huge_body_is_413(public):
    plan = data(public.get("/tracking-plans"))["trackingPlans"][0]
    huge = {"rules": [{"type": "TRACK", "key": "x" * 3_000_000, "version": 1}]}
    errors(public.put(f"/tracking-plans/{plan['id']}/rules", json=huge), 413)
    assert public.get("/").status_code == 200


def test_rate_limit_429_with_ms_before_next(emulator, public, clock):
    budget = emulator.public_limiter.per_minute
    last = None
    for _ in range(budget):
        last = public.get("/")
    assert int(last.headers["X-RateLimit-Remaining"]) == 0
    assert last.headers["X-RateLimit-Consumed"] == str(budget)
    assert last.headers["X-RateLimit-Reset"].endswith("GMT")
    problem = errors(public.get("/"), 429, "RequestError")
    assert problem["message"] == "Too many requests"
    assert problem["data"]["remainingPoints"] == 0 and problem["data"]["msBeforeNext"] > 0
    clock.advance(60)
    assert public.get("/").status_code == 200


def test_media_type_versions_in_accept(public):
    response = public.get("/", headers={"Accept": "application/vnd.segment.v1+json"})
    assert response.headers["content-type"] == "application/vnd.segment.v1+json"
    assert public.get("/", headers={"Accept": "application/vnd.segment.alpha+json"}).status_code == 200
    assert (
        public.get("/", headers={"Accept": "application/vnd.unknown+json"}).headers["content-type"]
        == "application/json"
    )


def test_secrets_are_masked_and_never_overwritten_by_a_mask(public):
    amplitude = next(
        d
        for d in data(public.get("/destinations?pagination.count=200"))["destinations"]
        if d["metadata"]["slug"] == "amplitude"
    )
    masked = amplitude["settings"]["apiKey"]
    assert masked.startswith("•" * 10) and masked.endswith("7d6c5b4a39281706"[-4:])
    data(public.patch(f"/destinations/{amplitude['id']}", json={"settings": {"apiKey": masked}}))
    assert data(public.get(f"/destinations/{amplitude['id']}"))["destination"]["settings"]["apiKey"] == masked


def test_settings_list_every_option_with_defaults(public):
    destination = data(public.get("/destinations"))["destinations"][0]
    assert {option["name"] for option in destination["metadata"]["options"]} == set(destination["settings"])


def test_instance_id_and_meta_id(public):
    """The seed FAQ: two instances of one integration share the meta id, not the instance id."""
    web = next(s for s in data(public.get("/sources"))["sources"] if s["slug"] == "web")
    connected = data(public.get(f"/sources/{web['id']}/connected-destinations"))["destinations"]
    mixpanel = [d for d in connected if d["metadata"]["slug"] == "mixpanel"]
    assert len(mixpanel) == 2
    assert mixpanel[0]["metadata"]["id"] == mixpanel[1]["metadata"]["id"]
    assert mixpanel[0]["id"] != mixpanel[1]["id"]
    assert {d["name"] for d in mixpanel} == {"Mixpanel (prod)", "Mixpanel (dev)"}


def test_second_instance_only_where_the_integration_allows_it(public):
    web = next(s for s in data(public.get("/sources"))["sources"] if s["slug"] == "web")
    catalog = {item["slug"]: item["id"] for item in data(public.get("/catalog/destinations"))["destinationsCatalog"]}
    single = {"sourceId": web["id"], "metadataId": catalog["google-analytics"], "settings": {}}
    errors(public.post("/destinations", json=single), 409, "conflict")
    multiple = {"sourceId": web["id"], "metadataId": catalog["webhooks"], "settings": {}, "name": "Second hook"}
    assert public.post("/destinations", json=multiple).status_code == 200


def test_forwarding_fields_faq(public):
    """Omitting forwardingViolationsTo / forwardingBlockedEventsTo disables forwarding; empty is an error."""
    sources = {s["slug"]: s["id"] for s in data(public.get("/sources"))["sources"]}
    path = f"/sources/{sources['web']}/settings"
    on = data(
        public.patch(
            path, json={"forwardingViolationsTo": sources["web-staging"], "track": {"allowUnplannedEvents": False}}
        )
    )
    assert on["settings"]["forwardingViolationsTo"] == sources["web-staging"]
    errors(public.patch(path, json={"forwardingViolationsTo": ""}), 422, "input-validation")
    off = data(
        public.patch(
            path,
            json={
                "group": {
                    "allowTraitsOnViolations": False,
                    "allowUnplannedTraits": False,
                    "commonEventOnViolations": "ALLOW",
                }
            },
        )
    )
    assert off["settings"]["forwardingViolationsTo"] == ""
    assert off["settings"]["track"]["allowUnplannedEvents"] is False


def test_tracking_plan_update_answers_a_status(public):
    plan = data(public.get("/tracking-plans"))["trackingPlans"][0]
    assert data(public.patch(f"/tracking-plans/{plan['id']}", json={"name": "Renamed"})) == {"status": "SUCCESS"}
    assert data(public.get(f"/tracking-plans/{plan['id']}"))["trackingPlan"]["name"] == "Renamed"


def test_functions_list_requires_resource_type(public):
    assert errors(public.get("/functions"), 422)["field"] == "resourceType"


def test_echo(public):
    assert data(public.get("/echo?message=hi"))["message"] == "hi"
