"""The telephony screen pop lists the outages at the caller's service points,
which the core's outage register finds through the grid tree."""

from odoo.fields import Command


def test_screen_pop_lists_outage_above_service_point(env):
    elements = env["grid.element"]
    feeder = elements.create({"name": "Ф-ЭК", "code": "F-POP", "kind": "feeder"})
    transformer = elements.create(
        {
            "name": "ТП-ЭК",
            "code": "TP-POP",
            "kind": "transformer_substation",
            "parent_id": feeder.id,
        }
    )
    point = env["grid.service.point"].create(
        {"name": "SP-POP-1", "grid_element_id": transformer.id}
    )
    outage = env["grid.outage"].create(
        {"element_ids": [Command.set(feeder.ids)], "kind": "emergency"}
    )
    outages = env["grid.call"]._grid_active_outages(point)
    assert [found["id"] for found in outages] == [outage.id]
    assert env["grid.outage"]._active_for_service_points(point) == outage
    outage.action_restore()
    assert env["grid.call"]._grid_active_outages(point) == []
