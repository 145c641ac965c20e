import base64
import csv
import io

from odoo.exceptions import AccessError, UserError
from odoo.tests import users

from ..tools.topology_csv import (
    ERROR_EMPTY_CODE,
    ERROR_ENCODING,
    ERROR_HEADER,
    ERROR_UNKNOWN_KIND,
    TopologyFileError,
    read_rows,
)
from .outage_common import GridOutageCase


class TestTopologyCsv(GridOutageCase):
    def test_semicolons_and_windows_1251(self):
        data = "kind;code;name;parent_code\nПС;PS-9;ПС Северная;\n".encode("cp1251")
        [row] = read_rows(data)
        self.assertEqual(row.kind, "substation")
        self.assertEqual(row.name, "ПС Северная")
        self.assertEqual(row.line, 2)

    def test_utf16_with_byte_order_mark(self):
        data = "kind\tcode\tname\tparent_code\nПС\tPS-9\tПС Северная\t\n"
        [row] = read_rows(data.encode("utf-16"))
        self.assertEqual(row.kind, "substation")
        self.assertEqual(row.name, "ПС Северная")

    def test_cp866_rejected(self):
        data = "kind;code;name;parent_code\nПС;PS-9;ШУМ;\n".encode("cp866")
        with self.assertRaises(TopologyFileError) as caught:
            read_rows(data)
        self.assertEqual(caught.exception.code, ERROR_ENCODING)

    def test_missing_column_rejects_file(self):
        with self.assertRaises(TopologyFileError) as caught:
            read_rows(b"kind,name\nfeeder,F\n")
        self.assertEqual(caught.exception.code, ERROR_HEADER)
        self.assertIn("code", caught.exception.detail)

    def test_bad_rows_carry_their_error(self):
        rows = read_rows(b"kind,code,name,parent_code\nbunker,X,,\nfeeder,,F,\n\n")
        self.assertEqual(
            [row.error for row in rows], [ERROR_UNKNOWN_KIND, ERROR_EMPTY_CODE]
        )
        self.assertEqual([row.line for row in rows], [2, 3])


class TestTopologyImport(GridOutageCase):
    def _import(self, text, encoding="utf-8"):
        wizard = self.env["grid.element.import"].create(
            {
                "file": base64.b64encode(text.encode(encoding)),
                "filename": "grid.csv",
            }
        )
        wizard.action_import()
        return wizard

    def _results(self, wizard):
        text = base64.b64decode(wizard.result_file).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        return {int(row[0]): (row[2], row[3], row[4]) for row in rows[1:]}

    @users("cc_manager")
    def test_parent_after_child_and_attachment(self):
        wizard = self._import(
            "kind;code;name;parent_code\n"
            "ТП;TP-N1;ТП-Н1;F-N1\n"
            "Ф;F-N1;Ф-Н1;PS-T1\n"
            "service_point;SP-TEST-0005;;TP-N1\n"
        )
        elements = self.env["grid.element"]
        transformer = elements.search([("code", "=", "TP-N1")])
        feeder = elements.search([("code", "=", "F-N1")])
        self.assertEqual(transformer.parent_id, feeder)
        self.assertEqual(feeder.parent_id, self.substation)
        self.assertEqual(self.point_c.grid_element_id, transformer)
        self.assertEqual(wizard.created_count, 2)
        self.assertEqual(wizard.attached_count, 1)
        self.assertEqual(wizard.error_count, 0)
        results = self._results(wizard)
        self.assertEqual(results[2][:2], ("TP-N1", "Created"))
        self.assertEqual(results[4][:2], ("SP-TEST-0005", "Attached"))

    @users("cc_dispatcher")
    def test_dispatcher_maintains_topology(self):
        wizard = self._import(
            "kind;code;name;parent_code\n"
            "ТП;TP-D1;ТП-Д1;F-T1\n"
            "service_point;SP-TEST-0005;;TP-D1\n"
        )
        self.assertEqual(wizard.error_count, 0)
        transformer = self.env["grid.element"].search([("code", "=", "TP-D1")])
        self.assertEqual(self.point_c.grid_element_id, transformer)

        feeder = self.env["grid.element"].create(
            {"kind": "feeder", "code": "F-D1", "name": "Ф-Д1"}
        )
        self.tp_2.with_user(self.env.user).name = "ТП-Т2 (новая)"
        self.assertEqual(self.tp_2.name, "ТП-Т2 (новая)")
        feeder.action_archive()
        self.assertFalse(feeder.active)
        with self.assertRaises(AccessError):
            feeder.unlink()

    @users("cc_manager")
    def test_every_bad_line_reported(self):
        wizard = self._import(
            "kind,code,name,parent_code\n"
            "feeder,F-X1,Ф-X1,NOWHERE\n"
            "transformer_substation,TP-X1,ТП-X1,F-X1\n"
            "feeder,F-T1,Duplicate,PS-T1\n"
            "feeder,F-T1,Again,PS-T1\n"
            "bunker,B-1,Бункер,\n"
            "feeder,F-L1,Loop 1,F-L2\n"
            "feeder,F-L2,Loop 2,F-L1\n"
            "service_point,SP-MISSING,,TP-T1\n"
            "service_point,SP-TEST-0005,,TP-NOWHERE\n"
            "transformer_substation,TP-OK,ТП-OK,F-T2\n"
        )
        results = self._results(wizard)
        messages = {line: result[2] for line, result in results.items()}

        self.assertIn("NOWHERE", messages[2])
        self.assertIn("line 2", messages[3])
        self.assertEqual(results[4][1], "Updated")
        self.assertIn("line 4", messages[5])
        self.assertIn("bunker", messages[6])
        self.assertIn("loop", messages[7])
        self.assertIn("loop", messages[8])
        self.assertIn("SP-MISSING", messages[9])
        self.assertIn("TP-NOWHERE", messages[10])
        self.assertEqual(results[11][1], "Created")

        self.assertEqual(wizard.error_count, 8)
        self.assertEqual(len(wizard.line_ids), 8)
        self.assertEqual(self.feeder.name, "Duplicate")
        self.assertFalse(
            self.env["grid.element"].search([("code", "in", ("F-X1", "TP-X1"))])
        )
        self.assertEqual(self.point_c.grid_element_id, self.tp_3)

    @users("cc_manager")
    def test_reimport_moves_element(self):
        wizard = self._import("kind,code,name,parent_code\nТП,TP-T2,ТП-Т2,F-T2\n")
        self.assertEqual(self.tp_2.parent_id, self.feeder_2)
        self.assertEqual(self._results(wizard)[2][1], "Updated")
        self.assertEqual(wizard.updated_count, 1)

    @users("cc_manager")
    def test_unreadable_header_raises(self):
        with self.assertRaises(UserError):
            self._import("kind,name\nfeeder,F\n")
