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
}
