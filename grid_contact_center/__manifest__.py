{
    "name": "Grid Contact Center",
    "summary": "Contact center of an electric grid company: the register of "
    "interactions, consumers and service points, callbacks, complaints, "
    "outages and dispatch",
    "version": "18.0.1.0.0",
    "category": "Services/Contact Center",
    "author": "Grid Contact Center Contributors",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["base", "mail", "resource", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/grid_contact_center_groups.xml",
        "security/ir.model.access.csv",
        "security/grid_contact_center_security.xml",
        "data/grid_topic_data.xml",
        "data/resource_calendar_leaves_data.xml",
        "views/grid_interaction_views.xml",
        "views/res_partner_views.xml",
        "views/grid_service_point_views.xml",
        "views/grid_topic_views.xml",
        "views/grid_team_views.xml",
        "views/grid_settlement_views.xml",
        "views/grid_workday_views.xml",
        "views/res_config_settings_views.xml",
        "views/grid_contact_center_menus.xml",
    ],
    "demo": [
        "demo/grid_consumer_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "application": True,
}
