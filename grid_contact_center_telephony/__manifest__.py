{
    "name": "Grid Contact Center: Telephony",
    "summary": "PBX connector: call log, caller identification, screen pop, "
    "click-to-dial, signed webhook, Asterisk AMI bridge, CDR import",
    "version": "18.0.1.0.0",
    "category": "Services/Contact Center",
    "author": "Grid Contact Center Contributors",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["grid_contact_center", "bus"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
        "security/grid_contact_center_telephony_security.xml",
        "data/ir_cron_data.xml",
        "views/grid_call_views.xml",
        "views/grid_call_report_views.xml",
        "views/grid_call_event_views.xml",
        "views/grid_telephony_provider_views.xml",
        "views/res_users_views.xml",
        "views/res_partner_views.xml",
        "views/grid_service_point_views.xml",
        "views/grid_interaction_views.xml",
        "views/grid_notice_recipient_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/grid_call_cdr_import_views.xml",
        "wizards/grid_desk_views.xml",
        "views/grid_contact_center_telephony_menus.xml",
    ],
    "demo": ["demo/grid_telephony_provider_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "grid_contact_center_telephony/static/src/screen_pop/*",
        ],
        "web.assets_tests": [
            "grid_contact_center_telephony/static/tests/tours/*.js",
        ],
    },
}
