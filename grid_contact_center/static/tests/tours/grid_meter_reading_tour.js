import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const readings = 'div[name="meter_reading_ids"]';

registry.category("web_tour.tours").add("grid_meter_reading_entry", {
    url: "/odoo/action-grid_contact_center.grid_interaction_action/new",
    steps: () => [
        {
            content: "Choose the topic of meter readings",
            trigger: ".o_field_widget[name=topic_id] input",
            run: "edit Meter readings",
        },
        {
            content: "Pick it from the list",
            trigger:
                ".o_field_widget[name=topic_id] .o-autocomplete--dropdown-menu li:contains(Meter readings)",
            run: "click",
        },
        {
            content: "Open the page of meter readings",
            trigger: ".o_notebook .nav-link:contains(Meter Readings)",
            run: "click",
        },
        {
            content: "Add a reading",
            trigger: `${readings} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Type the meter's serial number",
            trigger: `${readings} .o_data_row .o_field_widget[name=meter_id] input`,
            run: "edit TOUR-0000001",
        },
        {
            content: "Pick the meter",
            trigger:
                ".o_field_widget[name=meter_id] .o-autocomplete--dropdown-menu li:contains(TOUR-0000001)",
            run: "click",
        },
        {
            content: "Type a value far above the meter's history",
            trigger: `${readings} .o_data_row .o_field_widget[name=value_t1] input`,
            run: "edit 2310",
        },
        {
            content: "Leave the value, which sends it to the server",
            trigger: ".o_notebook .nav-link.active:contains(Meter Readings)",
            run: "click",
        },
        {
            content: "The reading needs review before it is saved",
            trigger: `${readings} .o_data_row td[name=state]:contains(Needs Review)`,
        },
        ...stepUtils.saveForm(),
        {
            content: "The saved reading still needs review",
            trigger: `${readings} .o_data_row td[name=state]:contains(Needs Review)`,
        },
    ],
});
