import logging

from odoo import api, fields, models

from ..tools.phone import e164_from_key, phone_key, split_numbers

_logger = logging.getLogger(__name__)


class GridContactNumber(models.Model):
    """One telephone number of a consumer or a service point, reduced to the
    key that caller identification looks up.

    Rows are derived data: ``res.partner`` and ``grid.service.point`` rebuild
    their rows whenever their phone fields change, and the views show them
    read-only.
    """

    _name = "grid.contact.number"
    _description = "Consumer Phone Number Index"
    _order = "id"

    partner_id = fields.Many2one(
        "res.partner", string="Consumer", index=True, ondelete="cascade"
    )
    service_point_id = fields.Many2one(
        "grid.service.point", index="btree_not_null", ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", index=True)
    number = fields.Char(string="Number as Typed", required=True)
    number_key = fields.Char(
        string="Lookup Key",
        required=True,
        index=True,
        help="The ten-digit national number for the +7 zone, or + and the "
        "international number for other countries.",
    )
    e164 = fields.Char(string="E.164")
    extension = fields.Char()
    origin = fields.Selection(
        [
            ("phone", "Phone"),
            ("mobile", "Mobile"),
            ("service_point", "Service Point Phone"),
        ],
        required=True,
    )

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    @api.model
    def _rows_for(self, text, area_code, origin, **links):
        rows = []
        for number in split_numbers(text):
            key = phone_key(number, area_code)
            if not key:
                continue
            number_key, extension = key
            rows.append(
                {
                    "number": number,
                    "number_key": number_key,
                    "e164": e164_from_key(number_key),
                    "extension": extension or False,
                    "origin": origin,
                    **links,
                }
            )
        return rows

    @api.model
    def _rebuild_for_partners(self, partners):
        """Replace the phone and mobile rows of the given partners."""
        partners = partners.exists()
        index = self.sudo()
        index.search(
            [("partner_id", "in", partners.ids), ("origin", "in", ("phone", "mobile"))]
        ).unlink()
        rows = []
        for partner in partners:
            company = partner.company_id or self.env.company
            area = company.grid_default_area_code
            links = {"partner_id": partner.id, "company_id": partner.company_id.id}
            rows += self._rows_for(partner.phone, area, "phone", **links)
            rows += self._rows_for(partner.mobile, area, "mobile", **links)
        if rows:
            index.create(rows)

    @api.model
    def _rebuild_for_service_points(self, service_points):
        """Replace the rows of the given service points' own phones."""
        service_points = service_points.exists()
        index = self.sudo()
        index.search([("service_point_id", "in", service_points.ids)]).unlink()
        rows = []
        for point in service_points:
            rows += self._rows_for(
                point.phone,
                point.company_id.grid_default_area_code,
                "service_point",
                service_point_id=point.id,
                partner_id=point.partner_id.id,
                company_id=point.company_id.id,
            )
        if rows:
            index.create(rows)

    @api.model
    def find_by_phone(self, raw, company=None):
        """Return the index rows whose number matches ``raw`` in any form.

        ``company`` limits the result to its consumers and to shared ones,
        and gives the area code that completes a short city number (the
        current company's by default). Every match is returned, several
        consumers sharing a number included, so that the caller is chosen by
        a person and never silently. A number without caller id returns an
        empty recordset.
        """
        company = company or self.env.company
        key = phone_key(raw, company.grid_default_area_code)
        if not key:
            return self.browse()
        # One round trip: the callers read the consumer and service point.
        return self.search_fetch(
            [
                ("number_key", "=", key[0]),
                ("company_id", "in", [False, company.id]),
            ],
            ["partner_id", "service_point_id", "company_id", "extension", "origin"],
        )
