"""Asterisk Manager Interface (AMI) bridge of Grid Contact Center.

The bridge logs in to Asterisk's AMI, follows every call by its Linkedid and
posts normalised call events to the telephony webhook of Odoo (the format is
docs/telephony-events.md). Events wait in a spool on disk until Odoo has
accepted them, so that an outage of Odoo loses none.
"""

__version__ = "18.0.1.0.0"
