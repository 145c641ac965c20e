/** @odoo-module **/

import {registry} from "@web/core/registry";

// A consumer opens the link of an invitation, rates the handling of the
// request with 4 of 5, leaves a comment and submits.
registry.category("web_tour.tours").add("grid_survey_satisfaction_answer", {
    steps: () => [
        {
            content: "Start the survey",
            trigger: "button[value=start]",
            run: "click",
        },
        {
            content: "Rate the handling with 4",
            trigger:
                "div.js_question-wrapper:contains(How satisfied are you) label.o_survey_choice_btn:contains(4)",
            run: "click",
        },
        {
            content: "Leave a comment",
            trigger: "div.js_question-wrapper:contains(What could we do better) textarea",
            run: "edit Отвечайте на звонки быстрее",
        },
        {
            content: "Submit the answers",
            trigger: "button[value=finish]",
            run: "click",
        },
        {
            content: "The survey thanks the consumer",
            trigger: ".o_survey_finished h1:contains(Thank you)",
        },
    ],
});
