from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Date

from ..rpc import short_repr

# the columns of get_availability_compact, in their order when none are chosen
COMPACT_COLUMNS = (
    "product_id",
    "warehouse_id",
    "company_id",
    "on_hand",
    "reserved",
    "free",
    "held",
    "quarantine",
    "damaged",
    "returns",
    "in_transit",
    "incoming",
    "outgoing",
    "atp",
    "promisable",
    "next_available_date",
    "quantity",
    "shared",
)
# every row names its product and warehouse
KEY_COLUMNS = ("product_id", "warehouse_id")


class DistribAtp(models.AbstractModel):
    """The engine's figures as one header and rows of lists, for integrators.

    ``get_availability`` returns one dict per product and warehouse: for 200
    products in 7 warehouses, marshalling 1,400 dicts to JSON costs ten times the
    engine's own work. The compact form sends the column names once, only the
    columns asked for, and by default leaves out the product x warehouse pairs
    with neither stock nor pending moves (their figures are all zero and
    ``next_available_date`` is False).
    """

    _inherit = "distrib.atp"

    @api.model
    @api.readonly
    def get_availability_compact(
        self,
        product_ids=None,
        warehouse_ids=None,
        date=None,
        quantity=None,
        fields=None,
        skip_empty=True,
    ):
        """``get_availability`` as ``{"columns": [...], "rows": [[...], ...],
        "date": "YYYY-MM-DD", "skipped": n}``.

        :param product_ids, warehouse_ids, date, quantity: as ``get_availability``
        :param fields: the columns wanted, among ``COMPACT_COLUMNS`` (default all);
            ``product_id`` and ``warehouse_id`` always come first
        :param skip_empty: leave out the pairs without stock or pending moves
            (``skipped`` counts them); False returns every pair, in the order of
            ``get_availability``
        :return: each row holds the values of ``columns``, in that order
        """
        columns = self._distrib_check_columns(fields)
        if not isinstance(skip_empty, bool):
            raise UserError(
                self.env._(
                    "skip_empty must be true or false, not %(value)s.",
                    value=short_repr(skip_empty),
                )
            )
        products, warehouses, time_zone = self._distrib_read_input(
            product_ids, warehouse_ids
        )
        this = self.with_context(tz=time_zone)
        day = this._distrib_check_date(date)
        today = Date.context_today(this)
        quantities = self._distrib_check_quantities(list(products), quantity)
        projections = self._distrib_projections(
            list(products), list(warehouses), roundings=products
        )
        own_companies = set(self.env.companies.ids)
        dates = {}
        blank_rows = {}
        rows = []
        append = rows.append
        skipped = 0
        wanted = columns[2:]
        for product_id in products:
            quantity_of = quantities[product_id]
            for warehouse_id, company_id in warehouses.items():
                projection = projections[product_id, warehouse_id]
                if projection.blank:
                    if skip_empty:
                        skipped += 1
                        continue
                    key = (id(projection), quantity_of, warehouse_id)
                    tail = blank_rows.get(key)
                    if tail is None:
                        tail = blank_rows[key] = self._distrib_compact_tail(
                            projection.values(day, today, quantity_of, dates),
                            company_id,
                            own_companies,
                            wanted,
                        )
                else:
                    tail = self._distrib_compact_tail(
                        projection.values(day, today, quantity_of, dates),
                        company_id,
                        own_companies,
                        wanted,
                    )
                append([product_id, warehouse_id, *tail])
        return {
            "columns": list(columns),
            "rows": rows,
            "date": day.isoformat(),
            "skipped": skipped,
        }

    @api.model
    def _distrib_compact_tail(self, values, company_id, own_companies, wanted):
        """The values of the ``wanted`` columns (after the product and the
        warehouse) of one row."""
        values["company_id"] = company_id
        values["shared"] = company_id not in own_companies
        return [values[column] for column in wanted]

    @api.model
    def _distrib_check_columns(self, names):
        """The columns of a compact answer: ``names`` checked, the keys first."""
        if names is None or names is False or names == []:
            return COMPACT_COLUMNS
        if not isinstance(names, list | tuple) or not all(
            isinstance(name, str) for name in names
        ):
            raise UserError(
                self.env._(
                    "fields must be a list of column names, not %(value)s.",
                    value=short_repr(names),
                )
            )
        unknown = [name for name in names if name not in COMPACT_COLUMNS]
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown columns %(names)s: choose among %(columns)s.",
                    names=", ".join(short_repr(name) for name in unknown),
                    columns=", ".join(COMPACT_COLUMNS),
                )
            )
        rest = [name for name in dict.fromkeys(names) if name not in KEY_COLUMNS]
        return (*KEY_COLUMNS, *rest)
