{
    "name": "Grid Contact Center: Service-Quality Surveys",
    "summary": "Satisfaction surveys after a contact and targeted service-quality "
    "surveys of consumers, built on Odoo Surveys",
    "version": "18.0.1.0.0",
    "category": "Services/Contact Center",
    "author": "Grid Contact Center Contributors",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["grid_contact_center", "survey", "sms"],
    "data": [
        "security/grid_contact_center_survey_groups.xml",
        "security/ir.model.access.csv",
        "security/grid_contact_center_survey_security.xml",
        "data/survey_satisfaction_data.xml",
        "data/survey_annual_data.xml",
        "data/grid_topic_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/survey_user_input_views.xml",
        "views/survey_question_views.xml",
        "views/grid_topic_views.xml",
        "views/grid_interaction_views.xml",
        "views/grid_outage_views.xml",
        "views/grid_survey_campaign_recipient_views.xml",
        "views/grid_survey_campaign_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/grid_contact_center_survey_menus.xml",
    ],
    "demo": [
        "demo/grid_survey_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "grid_contact_center_survey/static/tests/tours/*.js",
        ],
    },
}
