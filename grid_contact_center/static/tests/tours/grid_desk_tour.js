/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// An operator takes an incoming call: the caller's number, typed in another
// format than the one stored, finds the consumer; the question is not
// answered during the call, so the saved interaction has a callback due.
registry.category("web_tour.tours").add("grid_desk_incoming_call", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger:
                ".o_app[data-menu-xmlid='grid_contact_center.grid_contact_center_menu_root']",
            content: "Open the Contact Center: its first menu is the desk",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=caller_phone] input",
            content: "Type the caller's number",
            run: "edit 8 (916) 700-12-34",
        },
        {
            trigger: ".o_field_widget[name=caller_name] input",
            content: "Leave the number field so that the consumer is looked up",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_account_number]:contains(390077777)",
            content: "The consumer with this number is chosen",
        },
        {
            trigger: ".o_field_widget[name=topic_id] input",
            content: "Choose the topic by its code",
            run: "edit 1.3",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Metering)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=answer_script]:contains(serial number)",
            content: "The answer script of the topic is in view",
        },
        {
            trigger: ".o_field_widget[name=description] textarea",
            content: "Write the question",
            run: "edit When must my meter be verified?",
        },
        {
            trigger: ".o_field_widget[name=callback_due]:not(:empty)",
            content: "An unanswered question makes a callback due",
        },
        {
            trigger: "button[name=action_register]",
            content: "Register the interaction",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=callback_state]:contains(Due)",
            content: "The saved interaction waits for a callback",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(Тестова)",
            content: "It belongs to the consumer found by the number",
        },
    ],
});
