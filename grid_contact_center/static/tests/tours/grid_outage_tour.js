import { registry } from "@web/core/registry";

// An operator registers a call from an address inside an active outage: the
// form shows the outage and its estimated restoration time as soon as the
// service point is chosen, and the operator answers the caller with them.
registry.category("web_tour.tours").add("grid_contact_center_outage_etr", {
    steps: () => [
        {
            content: "Register a new interaction",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Type the caller's address",
            trigger: ".o_field_widget[name=service_point_id] input",
            run: "edit Янтарная 8",
        },
        {
            content: "Choose the service point",
            trigger: ".o-autocomplete--dropdown-item a:contains(Янтарная, д. 8)",
            run: "click",
        },
        {
            content: "The outage at the address is shown",
            trigger: ".o_grid_outage_alert:contains(OUT-TOUR-1)",
        },
        {
            content: "Choose the topic of supply interruptions",
            trigger: ".o_field_widget[name=topic_id] input",
            run: "edit 4.2",
        },
        {
            content: "Pick the interruption topic",
            trigger: ".o-autocomplete--dropdown-item a:contains(Supply interruption)",
            run: "click",
        },
        {
            content: "Open the outage page",
            trigger: ".o_notebook_headers a[name=outage]",
            run: "click",
        },
        {
            // The web client shows times in the browser's time zone, so only
            // the date is certain here.
            content: "The estimated restoration time is listed",
            trigger: ".o_field_widget[name=active_outage_ids] td[name=etr]:contains(05/17/2030)",
        },
        {
            content: "Answer the caller with the outage details",
            trigger: "button[name=action_answer_with_outage]",
            run: "click",
        },
        {
            content: "The report is answered",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Answered)",
        },
    ],
});
