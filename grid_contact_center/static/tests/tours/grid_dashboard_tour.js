import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("grid_contact_center_dashboard", {
    steps: () => [
        {
            content: "The dashboard shows the deadlines section",
            trigger: ".o_grid_dashboard_section[data-section='deadlines']",
        },
        {
            content: "Switch to the current month",
            trigger: ".o_grid_dashboard_period[data-period='month']",
            run: "click",
        },
        {
            content: "The month's interactions by topic are listed",
            trigger:
                ".o_grid_dashboard_period[data-period='month'].btn-primary",
        },
        {
            content: "Two interactions were received this month",
            trigger:
                ".o_grid_dashboard_section[data-section='interactions'] [data-card='received'] .o_grid_dashboard_value:contains(2)",
        },
        {
            content: "Open the overdue interactions",
            trigger:
                ".o_grid_dashboard_section[data-section='deadlines'] [data-card='overdue']",
            run: "click",
        },
        {
            content: "The list shows the overdue interaction",
            trigger: ".o_list_view .o_data_row:contains(Проверка панели)",
        },
    ],
});
