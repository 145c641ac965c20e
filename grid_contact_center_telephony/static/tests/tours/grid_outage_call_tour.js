import {registry} from "@web/core/registry";

// A consumer whose supply is cut off calls while an outage is confirmed at
// their transformer substation. The end-to-end test rings the agent's phone
// through the AMI bridge once the first tour says it waits for the call, and
// takes screenshots of the card and of the desk between the tours.
registry.category("web_tour.tours").add("grid_telephony_outage_call_card", {
    steps: () => [
        {
            content: "The web client is ready: the test rings the phone now",
            trigger: ".o_main_navbar",
            run() {
                console.log("grid_telephony: waiting for a call");
            },
        },
        {
            content: "The caller's card names the consumer",
            trigger: ".o_grid_screen_pop .o_grid_screen_pop_consumer",
            timeout: 60000,
        },
        {
            content: "and shows the outage at their address",
            trigger: ".o_grid_screen_pop .o_grid_screen_pop_outage",
        },
    ],
});

registry.category("web_tour.tours").add("grid_telephony_outage_call_desk", {
    steps: () => [
        {
            content: "Start an interaction from the card",
            trigger:
                ".o_grid_screen_pop:has(.o_grid_screen_pop_outage) .o_grid_screen_pop_new",
            run: "click",
        },
        {
            content: "The desk opens on the caller's service point",
            trigger:
                ".o_grid_desk .o_field_widget[name=service_point_id] input:value(SP-E2E)",
        },
        {
            content: "and warns of the outage there",
            trigger: ".o_grid_desk .o_grid_outage_alert",
        },
        {
            content: "Choose the topic of supply interruptions",
            trigger: ".o_grid_desk .o_field_widget[name=topic_id] input",
            run: "edit 4.2",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains(4.2)",
            run: "click",
        },
        {
            content: "The topic is chosen: the test takes a screenshot",
            trigger: ".o_grid_desk .o_field_widget[name=topic_id] input:value(4.2)",
        },
    ],
});

registry.category("web_tour.tours").add("grid_telephony_outage_call_answer", {
    steps: () => [
        {
            content: "Register the report",
            trigger: ".o_grid_desk button[name=action_register]",
            run: "click",
        },
        {
            content: "The interaction form shows the outage with its restoration time",
            trigger: ".o_form_view:not(.o_grid_desk) .o_grid_outage_alert",
        },
        {
            content: "Answer the caller with the outage details",
            trigger: ".o_form_view button[name=action_answer_with_outage]",
            run: "click",
        },
        {
            content: "The report is answered during the call",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=answered]",
        },
    ],
});
