# pylint: disable=consider-merging-classes-inherited
"""What a scanned barcode is: a product, a packaging, a GS1 label, a lot, a
location or a transfer, in one company. A fixed number of queries whatever the
catalogue: one search per kind of record."""

import re

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

FNC1 = "\x1d"
# a GS1 label: symbology identifier or FNC1 first, human-readable "(01)...", or
# a GTIN element string ("01" + 14 digits) alone or followed by other elements
GS1_HINT = re.compile(r"^(\]C1|\]d2|\]Q3|\]J1|\x1d|\(\d{2,4}\)|0[12]\d{14})")
HUMAN_AI = re.compile(r"\((\d{2,4})\)")


class DistribBarcodeScan(models.Model):
    _inherit = "distrib.barcode.scan"

    @api.model
    def _distrib_gs1_nomenclature(self, company):
        """The company's nomenclature when it is GS1, else Odoo's GS1 one."""
        nomenclature = company.sudo().nomenclature_id
        if nomenclature.is_gs1_nomenclature:
            return nomenclature
        return self.env.ref(
            "barcodes_gs1_nomenclature.default_gs1_nomenclature",
            raise_if_not_found=False,
        ).sudo()

    @api.model
    def _distrib_parse_gs1(self, barcode, company):
        """``{type: value}`` of a GS1 label, or None when it is not one."""
        nomenclature = self._distrib_gs1_nomenclature(company)
        if not nomenclature or not (
            GS1_HINT.match(barcode)
            or company.sudo().nomenclature_id.is_gs1_nomenclature
        ):
            return None
        code = barcode
        if code.startswith("("):
            code = HUMAN_AI.sub(lambda match: FNC1 + match.group(1), code).lstrip(FNC1)
        try:
            parsed = nomenclature.parse_barcode(code)
        except (ValidationError, ValueError):
            return None
        if not isinstance(parsed, list) or not parsed:
            return None
        values = {}
        for element in parsed:
            values.setdefault(element["type"], element["value"])
        if "product" not in values and not GS1_HINT.match(barcode):
            return None
        return values

    @api.model
    def _distrib_gtin_codes(self, gtin):
        """The barcodes a GTIN-14 is stored as: itself, EAN-13, UPC-A, EAN-8."""
        codes = [gtin]
        for size in (13, 12, 8):
            if gtin[: 14 - size].strip("0") == "":
                codes.append(gtin[14 - size :])
        return codes

    @api.model
    def _distrib_resolve(self, barcode, company, picking=None):
        """What ``barcode`` is in ``company``, as a dict: ``kind`` (product,
        packaging, lot, location, picking), ``product``, ``lot``, ``lot_name``
        (a lot not created yet), ``qty`` (units of the product's unit, or None),
        ``packaging``, ``location``, ``picking``, ``expiry``, ``gs1``.
        UserError when nothing or more than one thing has it."""
        barcode = self._distrib_check_text(barcode, self.env._("The barcode"))
        found = {
            "kind": None,
            "barcode": barcode,
            "product": self.env["product.product"],
            "lot": self.env["stock.lot"],
            "lot_name": False,
            "qty": None,
            "packaging": self.env["product.packaging"],
            "location": self.env["stock.location"],
            "picking": self.env["stock.picking"],
            "expiry": False,
            "gs1": False,
        }
        gs1 = self._distrib_parse_gs1(barcode, company)
        if gs1:
            return self._distrib_resolve_gs1(found, gs1, company, picking)
        matches = self._distrib_search_code(barcode, company, picking)
        hits = [(kind, records) for kind, records in matches.items() if records]
        count = sum(len(records) for _kind, records in hits)
        if not count:
            raise UserError(
                self.env._(
                    "Nothing has the barcode %(barcode)s in %(company)s: no product, "
                    "packaging, lot, location or transfer. Nothing was changed.",
                    barcode=barcode,
                    company=company.name,
                )
            )
        if count > 1:
            raise UserError(
                self.env._(
                    "The barcode %(barcode)s is ambiguous: it is %(what)s. Scan "
                    "another label of the item. Nothing was changed.",
                    barcode=barcode,
                    what=self.env._(" and ").join(
                        self._distrib_describe(kind, record)
                        for kind, records in hits
                        for record in records
                    ),
                )
            )
        kind, record = hits[0]
        found["kind"] = kind
        if kind == "product":
            found["product"] = record
        elif kind == "packaging":
            found["packaging"] = record
            found["product"] = record.product_id
            found["qty"] = record.product_uom_id._compute_quantity(
                record.qty, record.product_id.uom_id
            )
        elif kind == "lot":
            found["lot"] = record
            found["product"] = record.product_id
        else:
            found[kind] = record
        return found

    @api.model
    def _distrib_describe(self, kind, record):
        labels = {
            "product": self.env._("product %(name)s"),
            "packaging": self.env._("packaging %(name)s"),
            "lot": self.env._("lot %(name)s"),
            "location": self.env._("location %(name)s"),
            "picking": self.env._("transfer %(name)s"),
        }
        name = record.display_name
        if kind in ("lot", "packaging"):
            name = f"{record.display_name} ({record.product_id.display_name})"
        return labels[kind] % {"name": name}

    @api.model
    def _distrib_search_code(self, code, company, picking=None):
        """The records of each kind whose barcode (or name) is ``code``."""
        companies = [False, company.id]
        lot_domain = [("name", "=", code), ("company_id", "in", companies)]
        if picking:
            lot_domain.append(("product_id", "in", picking.move_ids.product_id.ids))
        return {
            "product": self.env["product.product"].search(
                [("barcode", "=", code), ("company_id", "in", companies)]
            ),
            "packaging": self.env["product.packaging"].search(
                [("barcode", "=", code), ("company_id", "in", companies)]
            ),
            "lot": self.env["stock.lot"].search(lot_domain),
            "location": self.env["stock.location"].search(
                [("barcode", "=", code), ("company_id", "in", companies)]
            ),
            "picking": self.env["stock.picking"].search(
                [("name", "=", code), ("company_id", "=", company.id)]
            ),
        }

    @api.model
    def _distrib_resolve_gs1(self, found, gs1, company, picking=None):
        found["gs1"] = True
        found["expiry"] = gs1.get("expiration_date") or gs1.get("use_date") or False
        if gs1.get("quantity"):
            found["qty"] = float(gs1["quantity"])
        gtin = gs1.get("product")
        if gs1.get("location") and not gtin:
            locations = self.env["stock.location"].search(
                [
                    ("barcode", "in", [gs1["location"], gs1["location"][1:]]),
                    ("company_id", "in", [False, company.id]),
                ]
            )
            if len(locations) == 1:
                found.update(kind="location", location=locations)
                return found
        if not gtin:
            raise UserError(
                self.env._(
                    "The GS1 label %(barcode)s has no product (GTIN) this app "
                    "understands. Nothing was changed.",
                    barcode=found["barcode"],
                )
            )
        codes = self._distrib_gtin_codes(gtin)
        companies = [False, company.id]
        products = self.env["product.product"].search(
            [("barcode", "in", codes), ("company_id", "in", companies)]
        )
        packagings = self.env["product.packaging"].search(
            [("barcode", "in", codes), ("company_id", "in", companies)]
        )
        if len(products) + len(packagings) != 1:
            what = ", ".join(
                [p.display_name for p in products]
                + [self._distrib_describe("packaging", p) for p in packagings]
            )
            raise UserError(
                self.env._(
                    "No single product has the GTIN %(gtin)s of this GS1 label "
                    "(%(what)s). Nothing was changed.",
                    gtin=gtin,
                    what=what or self.env._("none found"),
                )
            )
        if packagings:
            found["kind"] = "packaging"
            found["packaging"] = packagings
            found["product"] = packagings.product_id
            if found["qty"] is None:
                found["qty"] = packagings.product_uom_id._compute_quantity(
                    packagings.qty, packagings.product_id.uom_id
                )
            else:
                found["qty"] *= packagings.product_uom_id._compute_quantity(
                    packagings.qty, packagings.product_id.uom_id
                )
        else:
            found["kind"] = "product"
            found["product"] = products
        lot_name = gs1.get("lot")
        if lot_name:
            lot = self.env["stock.lot"].search(
                [
                    ("name", "=", lot_name),
                    ("product_id", "=", found["product"].id),
                    ("company_id", "in", companies),
                ],
                limit=1,
            )
            found["lot"] = lot
            found["lot_name"] = lot_name if not lot else False
        return found
