import datetime
import json

from odoo import Command, fields
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon

TODAY = datetime.date(2026, 3, 10)
NOW = "2026-03-10 12:00:00"


def day(offset):
    """Noon of TODAY + offset days, as a datetime (stock.move.date)."""
    return datetime.datetime.combine(
        TODAY + datetime.timedelta(days=offset), datetime.time(12, 0)
    )


# The distrib roles (res.groups xmlids), by the short name tests use.
ROLE_GROUPS = {
    "sales": "distrib_atp.group_distrib_sales",
    "warehouse": "distrib_atp.group_distrib_warehouse",
    "procurement": "distrib_atp.group_distrib_procurement",
    "finance": "distrib_atp.group_distrib_finance",
    "manager": "distrib_atp.group_distrib_manager",
}


class DistribTestMixin:
    """The one place the distrib test bases create companies, users, products
    and stock. Mix it in front of an Odoo test base (``BaseCommon``,
    ``AccountTestInvoicingCommon``, ...): it has no ``setUpClass`` of its own,
    so each addon's base keeps its Odoo parent and layers on this."""

    @classmethod
    def _distrib_grant(cls, *xmlids):
        """Give the test's own user the groups ``xmlids`` (or role names)."""
        for xmlid in xmlids:
            cls.env.user.groups_id |= cls.env.ref(ROLE_GROUPS.get(xmlid, xmlid))

    @classmethod
    def _distrib_user(cls, login, groups, company, companies=None):
        """A user of ``company`` allowed in ``companies`` (default: ``company``
        only). ``groups``: xmlids or ROLE_GROUPS names, as an iterable or a
        comma-separated string."""
        if isinstance(groups, str):
            groups = groups.split(",")
        return new_test_user(
            cls.env,
            login=login,
            groups=",".join(ROLE_GROUPS.get(g.strip(), g.strip()) for g in groups),
            company_id=company.id,
            company_ids=[Command.set((companies or company).ids)],
        )

    @classmethod
    def _distrib_other_company(cls, name, **vals):
        """A second company the test's own user may work in. On an accounting
        base (``setup_other_company``) it gets a chart of accounts."""
        if hasattr(cls, "setup_other_company"):
            company = cls.setup_other_company(name=name, **vals)["company"]
        else:
            vals.setdefault("currency_id", cls.env.company.currency_id.id)
            company = cls.env["res.company"].create({"name": name, **vals})
        cls.env.user.company_ids |= company
        return company

    @classmethod
    def _distrib_product(cls, name, taxes=True, **vals):
        """A storable product; ``taxes=False`` clears its sale/purchase taxes."""
        if not taxes:
            vals.setdefault("taxes_id", [Command.clear()])
            vals.setdefault("supplier_taxes_id", [Command.clear()])
        return cls.env["product.product"].create(
            {"name": name, "is_storable": True, **vals}
        )

    @classmethod
    def _distrib_stock(
        cls, product, location, quantity, lot=None, company=None, inventory=False
    ):
        """Put ``quantity`` of ``product`` in ``location``: directly in the
        quants, or (``inventory=True``) through an applied inventory count,
        which also writes the stock valuation."""
        Quant = cls.env["stock.quant"]
        if company:
            Quant = Quant.with_company(company)
        if inventory:
            Quant.with_context(inventory_mode=True).create(
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "inventory_quantity": quantity,
                    "lot_id": lot.id if lot else False,
                }
            ).action_apply_inventory()
        else:
            Quant._update_available_quantity(
                product, location, quantity, lot_id=lot or None
            )


class DistribAtpCommon(DistribTestMixin, BaseCommon):
    """Two warehouses in the main company, one in a second company, products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls._distrib_other_company("ATP Other Co")
        cls.Warehouse = cls.env["stock.warehouse"]
        cls.wh1 = cls.Warehouse.search([("company_id", "=", cls.company.id)], limit=1)
        cls.wh2 = cls.Warehouse.create({"name": "ATP Second WH", "code": "ATP2"})
        cls.wh_other = cls.Warehouse.search(
            [("company_id", "=", cls.other_company.id)], limit=1
        )
        for warehouse in cls.wh1 | cls.wh2:
            warehouse.action_distrib_create_status_locations()
        cls.supplier_loc = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_loc = cls.env.ref("stock.stock_location_customers")
        cls.product = cls._create_product("ATP Widget", 10.0)
        cls.product_b = cls._create_product("ATP Gadget", 4.0)
        cls.partner = cls.env["res.partner"].create({"name": "ATP Customer"})
        cls.Atp = cls.env["distrib.atp"]

    @classmethod
    def _create_product(cls, name, cost, **vals):
        return cls._distrib_product(
            name, standard_price=cost, list_price=cost * 2, **vals
        )

    @classmethod
    def _stock(cls, product, location, quantity, lot=None):
        cls._distrib_stock(product, location, quantity, lot=lot)

    @classmethod
    def _move(cls, product, source, destination, quantity, date, reserve=False):
        move = cls.env["stock.move"].create(
            {
                "name": product.name,
                "product_id": product.id,
                "product_uom_qty": quantity,
                "product_uom": product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "date": date,
            }
        )
        move._action_confirm()
        if reserve:
            move._action_assign()
        # confirming may reschedule: keep the date the test asked for
        move.date = date
        return move

    @classmethod
    def _order(cls, lines, warehouse=None, partner=None, company=None):
        company = company or cls.company
        return (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": (partner or cls.partner).id,
                    "company_id": company.id,
                    "warehouse_id": (warehouse or cls.wh1).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": quantity,
                                "price_unit": product.list_price,
                            }
                        )
                        for product, quantity in lines
                    ],
                }
            )
        )

    def _row(self, rows, product, warehouse):
        found = [
            row
            for row in rows
            if row["product_id"] == product.id and row["warehouse_id"] == warehouse.id
        ]
        self.assertEqual(len(found), 1)
        return found[0]

    @staticmethod
    def _date(offset):
        return fields.Date.to_string(TODAY + datetime.timedelta(days=offset))


def strict_json(text):
    """Parse ``text`` as standard JSON: NaN and Infinity are not JSON."""

    def refuse(constant):
        raise ValueError(f"{constant} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


class JsonRpcMixin:
    """Call the API over /jsonrpc as a user (password = login), for an
    ``HttpCase``: the arguments and the context are what a client sends, and the
    answer must be standard JSON."""

    def _jsonrpc_body(self, user, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    user.id,
                    user.login,
                    model,
                    method,
                    list(args),
                    kwargs or {},
                ],
            },
        }
        self.env.flush_all()
        with mute_logger("odoo.http", "odoo.service.model"):
            response = self.url_open(
                "/jsonrpc",
                # Python's json writes NaN, Infinity and 400-digit integers as a
                # careless client would
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        self.env.invalidate_all()
        return strict_json(response.text)

    def _jsonrpc_call(self, user, model, method, args, kwargs=None):
        """``(result, error message)`` of ``model.method(*args, **kwargs)``."""
        body = self._jsonrpc_body(user, model, method, args, kwargs)
        if "error" in body:
            return None, body["error"]["data"]["message"]
        return body["result"], None

    def _jsonrpc(self, user, model, method, *args, **kwargs):
        """The call's result; AssertionError with the server's message when it
        answers an error."""
        result, error = self._jsonrpc_call(user, model, method, args, kwargs)
        if error is not None:
            raise AssertionError(error)
        return result

    def _jsonrpc_error(self, user, model, method, *args, **kwargs):
        """The error message of a call that must be refused."""
        result, error = self._jsonrpc_call(user, model, method, args, kwargs)
        self.assertIsNotNone(error, f"{model}.{method} was not refused: {result}")
        return error
