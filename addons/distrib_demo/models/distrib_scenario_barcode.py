# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
import logging
import re

from odoo import api, models

_logger = logging.getLogger(__name__)

# GS1 company prefix of the demo's own labels (a prefix GS1 uses in its
# examples): EAN-13 = prefix + item reference + check digit
GS1_PREFIX = "5412345"
# a lot name a GS1 label (AI 10) and a Code 128 label can carry: up to 20
# characters of GS1's character set, no spaces
LOT_NAME = re.compile(r"^[!\"%-/0-9:-?A-Z_a-z]{1,20}$")
# (unit, purchase unit) of the products bought by the case: their packaging
CASE_PACKAGINGS = {
    ("uom.product_uom_unit", "uom.product_uom_dozen"): ("Case of 12", 12.0),
}


def gs1_check_digit(digits):
    """The GS1 check digit of ``digits`` (a GTIN without its last digit)."""
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(digits))
    )
    return str((10 - total % 10) % 10)


def location_code(warehouse_code, path):
    """``EAST1-STOCK-SHELF-1``: the warehouse's code and the location's path
    below it, in capitals, a label anyone can read and type."""
    words = [re.sub(r"[^A-Z0-9]+", "-", part.upper()).strip("-") for part in path]
    return "-".join([warehouse_code.upper(), *[word for word in words if word]])


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        return [*super()._scenario_steps(), "barcode"]

    def _scenario_barcode(self, data):
        """Make the demo scannable in the Warehouse app: every product an EAN-13
        (its GTIN), every packaging a GTIN-14 (the products bought by the
        dozen get a "Case of 12"), every internal location of the warehouses a
        location barcode (warehouse code + path), every lot a name a label can
        carry; the companies use the app and the Warehouse role lands in it."""
        companies = self.env["res.company"].concat(*data["companies"])
        companies.write({"distrib_barcode_enabled": True})
        data["barcode_products"] = self._scenario_barcode_products()
        data["barcode_packagings"] = self._scenario_barcode_packagings()
        data["barcode_locations"] = self._scenario_barcode_locations(data["warehouses"])
        data["barcode_lots"] = self._scenario_barcode_lots()
        user = data.get("users", {}).get("warehouse")
        if user:
            user.action_id = self.env.ref(
                "distrib_barcode.distrib_barcode_warehouse_action"
            ).id

    def _scenario_barcode_used(self):
        """Every barcode products and packagings already have (they share one
        space: Odoo refuses a packaging with a product's barcode)."""
        products = self.env["product.product"].with_context(active_test=False)
        packagings = self.env["product.packaging"]
        return set(products.search([("barcode", "!=", False)]).mapped("barcode")) | set(
            packagings.search([("barcode", "!=", False)]).mapped("barcode")
        )

    def _scenario_barcode_products(self):
        """An EAN-13 for every good without a barcode, in creation order."""
        products = self.env["product.product"].search(
            [("type", "=", "consu"), ("barcode", "=", False)], order="id"
        )
        used = self._scenario_barcode_used()
        reference = 0
        for product in products:
            while True:
                reference += 1
                digits = f"{GS1_PREFIX}{reference:05d}"
                barcode = digits + gs1_check_digit(digits)
                if barcode not in used:
                    break
            used.add(barcode)
            product.barcode = barcode
        return products

    def _scenario_barcode_packagings(self):
        """A "Case of 12" for the goods bought by the dozen that have no
        packaging, then a GTIN-14 for every packaging without a barcode: the
        indicator digit (1, 2, ...) and the product's GTIN. Kept out of the
        sales and purchase lines (``sales``/``purchase`` off): the cases are
        for the warehouse's scans, the orders keep their units."""
        Packaging = self.env["product.packaging"]
        products = self.env["product.product"].search(
            [("type", "=", "consu"), ("packaging_ids", "=", False)], order="id"
        )
        cases = {
            (self.env.ref(unit), self.env.ref(po_unit)): case
            for (unit, po_unit), case in CASE_PACKAGINGS.items()
        }
        vals_list = []
        for product in products:
            case = cases.get((product.uom_id, product.uom_po_id))
            if case:
                name, qty = case
                vals_list.append(
                    {
                        "name": name,
                        "product_id": product.id,
                        "qty": qty,
                        "sales": False,
                        "purchase": False,
                    }
                )
        Packaging.create(vals_list)
        used = self._scenario_barcode_used()
        packagings = Packaging.search(
            [("barcode", "=", False), ("product_id.barcode", "!=", False)],
            order="product_id, qty, id",
        )
        for packaging in packagings:
            ean = packaging.product_id.barcode.zfill(13)
            if len(ean) != 13 or not ean.isdigit():
                continue
            for indicator in "12345678":
                digits = indicator + ean[:12]
                barcode = digits + gs1_check_digit(digits)
                if barcode not in used:
                    used.add(barcode)
                    packaging.barcode = barcode
                    break
        return Packaging.search([("barcode", "!=", False)])

    def _scenario_barcode_locations(self, warehouses):
        """A barcode on every internal location of ``warehouses``."""
        locations = self.env["stock.location"].search(
            [("warehouse_id", "in", warehouses.ids), ("usage", "=", "internal")],
            order="complete_name, id",
        )
        taken = set()
        for location in locations:
            warehouse = location.warehouse_id
            view = warehouse.view_location_id.complete_name
            path = location.complete_name.removeprefix(view).strip("/").split("/")
            barcode = location_code(warehouse.code, path)
            suffix = 1
            while (location.company_id.id, barcode) in taken:
                suffix += 1
                barcode = f"{location_code(warehouse.code, path)}-{suffix}"
            taken.add((location.company_id.id, barcode))
            if location.barcode != barcode:
                location.barcode = barcode
        return locations

    def _scenario_barcode_lots(self):
        """Lots whose name no label can carry get one that can: the product's
        reference and the lot's number (the scenario's own lots already can)."""
        lots = self.env["stock.lot"].search([], order="id")
        renamed = self.env["stock.lot"]
        for lot in lots:
            if LOT_NAME.match(lot.name or ""):
                continue
            base = re.sub(r"[^A-Za-z0-9]+", "-", lot.product_id.default_code or "LOT")
            lot.name = f"{base.strip('-')[:12]}-{lot.id}"
            renamed |= lot
        if renamed:
            _logger.info("distrib scenario: %s lots renamed for labels", len(renamed))
        return renamed
