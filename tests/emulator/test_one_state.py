"""One state, two views: what one API changes, the other sees."""

from __future__ import annotations

import json

from migrator.emulator.seed import build_demo
from migrator.emulator.state import State

WS = "/v1beta/workspaces/acme"


def public_data(response):
    assert response.status_code in (200, 201), response.text
    return response.json()["data"]


def test_a_source_created_through_config_appears_through_public(config, public):
    created = config.post(
        f"{WS}/sources",
        json={
            "source": {
                "name": "workspaces/acme/sources/kiosk",
                "catalog_name": "catalog/sources/ios",
                "labels": {"env": "prod"},
            }
        },
    )
    assert created.status_code == 200, created.text
    sources = public_data(public.get("/sources?pagination.count=200"))["sources"]
    kiosk = next(s for s in sources if s["slug"] == "kiosk")
    assert kiosk["metadata"]["slug"] == "ios"
    assert kiosk["labels"] == [{"key": "env", "value": "prod"}]
    assert kiosk["id"] == created.json()["id"]


def test_a_destination_created_through_public_appears_through_config(config, public):
    sources = {s["slug"]: s["id"] for s in public_data(public.get("/sources"))["sources"]}
    catalog = {i["slug"]: i["id"] for i in public_data(public.get("/catalog/destinations"))["destinationsCatalog"]}
    body = {
        "sourceId": sources["python-jobs"],
        "metadataId": catalog["slack"],
        "enabled": True,
        "settings": {"incomingWebhookUrl": "https://x"},
    }
    public_data(public.post("/destinations", json=body))
    seen = config.get(f"{WS}/sources/python-jobs/destinations/slack").json()
    assert seen["enabled"] is True
    assert {i["name"].rsplit("/", 1)[1]: i["value"] for i in seen["config"]}["incomingWebhookUrl"] == "https://x"


def test_a_config_mask_toggle_is_seen_through_public(config, public):
    config.patch(
        f"{WS}/sources/web/destinations/amplitude",
        json={"destination": {}, "update_mask": {"paths": ["destination.enabled"]}},
    )
    web = next(s for s in public_data(public.get("/sources"))["sources"] if s["slug"] == "web")
    amplitude = next(
        d
        for d in public_data(public.get(f"/sources/{web['id']}/connected-destinations"))["destinations"]
        if d["metadata"]["slug"] == "amplitude"
    )
    assert amplitude["enabled"] is False


def test_schema_config_forwarding_slug_becomes_a_source_id(config, public):
    config.patch(
        f"{WS}/sources/web/schema-config",
        json={
            "schema_config": {"forwarding_violations_to": "web-staging"},
            "update_mask": {"paths": ["schema_config.forwarding_violations_to"]},
        },
    )
    sources = {s["slug"]: s["id"] for s in public_data(public.get("/sources"))["sources"]}
    settings = public_data(public.get(f"/sources/{sources['web']}/settings"))["settings"]
    assert settings["forwardingViolationsTo"] == sources["web-staging"]
    assert config.get(f"{WS}/sources/web/schema-config").json()["forwarding_violations_to"] == "web-staging"


def test_tracking_plan_rules_both_ways(config, public):
    plans = config.get(f"{WS}/tracking-plans", params={"page_size": 100}).json()["tracking_plans"]
    plan = next(p for p in plans if p["display_name"] == "Docs Plan")
    rules = {
        "events": [{"name": "Doc Opened", "version": 2, "rules": {"type": "object"}}],
        "global": {"type": "object"},
    }
    config.put(
        f"/v1beta/{plan['name']}",
        json={"tracking_plan": {"rules": rules}, "update_mask": {"paths": ["tracking_plan.rules"]}},
    )
    public_plan = next(
        p for p in public_data(public.get("/tracking-plans"))["trackingPlans"] if p["name"] == "Docs Plan"
    )
    typed = public_data(public.get(f"/tracking-plans/{public_plan['id']}/rules"))["rules"]
    assert {(r["type"], r.get("key"), r["version"]) for r in typed} == {("TRACK", "Doc Opened", 2), ("COMMON", None, 1)}
    public.put(
        f"/tracking-plans/{public_plan['id']}/rules",
        json={"rules": [{"type": "TRACK", "key": "Search", "version": 1, "jsonSchema": {}}]},
    )
    document = config.get(f"/v1beta/{plan['name']}").json()["rules"]
    assert [event["name"] for event in document["events"]] == ["Search"]


def test_regulation_through_config_is_listed_through_public_with_new_enums(config, public):
    regulate_id = config.post(
        f"{WS}/regulations", json={"regulation_type": "Suppress", "attributes": {"name": "userId", "values": ["z-1"]}}
    ).json()["regulate_id"]
    listed = {r["id"]: r for r in public_data(public.get("/regulations"))["regulations"]}
    assert listed[regulate_id]["regulationType"] == "SUPPRESS_ONLY"
    assert listed[regulate_id]["subjectType"] == "USER_ID"
    suppressed = public_data(public.get("/suppressions"))["suppressed"]
    assert "z-1" in suppressed[0]["subjectIds"]
    assert "z-1" in config.get(f"{WS}/suppressed-users").json()["attributes"][0]["values"]


def test_multi_instance_destination_in_config_names_is_ambiguous(config):
    listed = config.get(f"{WS}/sources/web/destinations").json()["destinations"]
    names = [d["name"] for d in listed]
    assert names.count("workspaces/acme/sources/web/destinations/mixpanel") == 2
    one = config.get(f"{WS}/sources/web/destinations/mixpanel")
    # the name addresses both: ambiguous, as the translator (and so the proxy) answers it, never a guess
    assert one.status_code == 409 and one.json()["code"] == 6
    assert "names 2 Public destinations" in one.json()["error"]


def test_deleting_a_source_through_public_removes_it_from_config(config, public):
    sources = {s["slug"]: s["id"] for s in public_data(public.get("/sources"))["sources"]}
    public_data(public.delete(f"/sources/{sources['backend']}"))
    assert config.get(f"{WS}/sources/backend").status_code == 404
    assert config.get(f"{WS}/sources/backend/destinations").status_code == 404


def test_the_demo_seed_is_deterministic():
    assert build_demo().to_json() == build_demo().to_json()
    assert build_demo("other").workspace["slug"] == "other"


def test_runtime_ids_are_reproducible(config):
    first = build_demo()
    second = build_demo()
    assert first.new_id("source") == second.new_id("source")
    assert first.stamp() == second.stamp()


def test_snapshot_round_trip(tmp_path, emulator, config):
    config.post(
        f"{WS}/sources",
        json={"source": {"name": "workspaces/acme/sources/saved", "catalog_name": "catalog/sources/go"}},
    )
    path = tmp_path / "snapshot.json"
    emulator.state.save(path)
    loaded = State.load(path)
    assert loaded.to_json() == emulator.state.to_json()
    assert json.loads(path.read_text())["version"] == 1


def test_an_invite_has_one_shape_whichever_api_made_it(emulator, config, public):
    """`migrate verify` compares the workspace state a migration leaves: an invite made through the
    Public API without permissions is the one the Config API makes (no permissions: an empty list)."""
    assert config.post(f"{WS}/invites", json={"invite": {"email": "a@acme.example"}}).status_code == 200
    assert public.post("/invites", json={"invites": [{"email": "b@acme.example"}]}).status_code in (200, 201)
    invites = emulator.state.invites
    assert invites["a@acme.example"] == {"email": "a@acme.example", "permissions": []}
    assert invites["b@acme.example"] == {"email": "b@acme.example", "permissions": []}


def test_a_label_a_config_update_gives_a_source_is_a_workspace_label(config, public):
    """The Config API made a label a source was given; the Public API lists it among the workspace's
    labels, as it does after the migrated code makes it first."""
    body = {"source": {"labels": {"env": "staging"}}, "update_mask": {"paths": ["source.labels"]}}
    assert config.patch(f"{WS}/sources/backend", json=body).status_code == 200
    labels = public_data(public.get("/labels"))["labels"]
    assert {"key": "env", "value": "staging"} in [{"key": x["key"], "value": x["value"]} for x in labels]
