"""Bundles: IT's managers (and admins) define IT's bundles; IT's members (and admins) start
them; a started bundle is seen by its starter, its department, the departments of its
children and admins, and cancelled by its starter, its department's managers and admins."""

from __future__ import annotations

from portal.fulfilment.services import defining, starting
from portal.manage.services.form_builder import FieldChange
from tests.access_rules import Rule, World, only

MANAGERS = {"manager", "admin"}
MEMBERS = {"agent", "manager", "admin"}


def setup(world: World) -> None:
    iris = world.users["manager"]
    world.bundle = defining.create_bundle(iris, world.it, defining.BundleChange("New starter"))
    defining.add_field(iris, world.it, world.bundle, FieldChange("Full name", "short_text"))
    world.step = defining.save_step(
        iris, world.it, world.bundle, defining.StepChange(world.laptop.id, "Laptop")
    )
    world.run, _ = starting.start_bundle(
        world.bundle, iris, starting.Start(form_token="rules-run", answers=[])
    )


def dept(w: World) -> dict:
    return {"dept": w.it.slug}


def bundle(w: World) -> dict:
    return {"dept": w.it.slug, "bundle_id": w.bundle.id}


RULES = [
    Rule("fulfilment.bundles", "GET", url=dept, expect=only(MANAGERS, 200)),
    Rule("fulfilment.bundles", "POST", url=dept, data=lambda w: {"name": ""},
         expect=only(MANAGERS, 422), note="a bundle without a name is refused"),
    Rule("fulfilment.builder", "GET", url=bundle, expect=only(MANAGERS, 200)),
    Rule("fulfilment.add_field", "POST", url=bundle, data=lambda w: {"field-label": ""},
         expect=only(MANAGERS, 422)),
    Rule("fulfilment.save_step", "POST", url=bundle, data=lambda w: {"step-service_id": ""},
         expect=only(MANAGERS, 422), note="a new step"),
    Rule("fulfilment.save_step", "POST", url=lambda w: {**bundle(w), "step_id": w.step.id},
         data=lambda w: {f"step{w.step.id}-service_id": ""}, expect=only(MANAGERS, 422),
         note="a saved step"),
    Rule("fulfilment.start", "GET", url=lambda w: {"bundle_id": w.bundle.id},
         expect=only(MEMBERS, 200)),
    Rule("fulfilment.start", "POST", url=lambda w: {"bundle_id": w.bundle.id},
         data=lambda w: {"f_full_name": ""}, expect=only(MEMBERS, 422)),
    Rule("fulfilment.check_field", "POST", url=lambda w: {"bundle_id": w.bundle.id},
         data=lambda w: {"_field": "f_full_name", "f_full_name": ""}, expect=only(MEMBERS, 422)),
    Rule("fulfilment.run", "GET", url=lambda w: {"run_id": w.run.id}, expect=only(MEMBERS, 200)),
    Rule("fulfilment.cancel", "POST", url=lambda w: {"run_id": w.run.id},
         data=lambda w: {"reason": ""}, expect=only(MANAGERS, 422),
         note="without a reason: refused for those who may cancel"),
]
