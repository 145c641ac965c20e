{
    "name": "Grid Contact Center: Service-Quality Surveys",
    "summary": "Satisfaction surveys after a contact and targeted service-quality "
    "surveys of consumers, built on Odoo Surveys",
    "version": "18.0.1.0.0",
    "category": "Services/Contact Center",
    "author": "Grid Contact Center Contributors",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["grid_contact_center", "survey"],
}
