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
        "views/grid_contact_center_menus.xml",
    ],
    "application": True,
}
