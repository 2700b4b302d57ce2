"""Malformed RPC calls to every public distrib method (issue #11.10).

Every public method of the distrib addons is an RPC endpoint for every user. This
module enumerates them from the registry (methods defined in the distrib addons'
own python files, ``@api.private`` and ``_private`` ones left out), generates
malformed argument sets for each (wrong types, empty lists, huge integers, NaN and
infinity, nested lists, strings for ids, ids that do not exist, ids of another
company), sends them through ``/jsonrpc`` and ``/xmlrpc/2/object`` as a
low-privilege user and as an administrator, and asserts for each call:

* the answer is a normal (marshallable) result or a user-facing error
  (UserError, ValidationError, AccessError, MissingError), never an internal
  error (TypeError, KeyError, a psycopg2 error, "cannot marshal None", ...);
* an error carries a message;
* no row of the distrib tables (nor of the core tables they extend) was written.

All failures are collected and reported at once, one line per call.
"""

import inspect
import json
import math
import re
import xmlrpc.client
from collections import Counter

from odoo import Command
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

USER_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
}
# /xmlrpc/2/object answers those errors with these fault codes (warning, access
# error), anything else with 1 and a traceback (odoo/addons/base/controllers/rpc.py)
XMLRPC_USER_FAULTS = {2, 4}

# core tables the distrib addons extend: a malformed call must not write them either
CORE_TABLES_MODELS = [
    "sale.order",
    "sale.order.line",
    "purchase.order",
    "purchase.order.line",
    "stock.lot",
    "stock.quant",
    "stock.picking",
    "stock.move",
    "stock.location",
    "stock.warehouse",
    "account.move",
    "account.move.line",
    "res.company",
    "res.partner",
    "mail.message",
]

HUGE = 10**20  # beyond 64 bits
NONEXISTENT = 999_999_999

# values sent in place of one argument (each gives one call)
BAD_VALUES = [
    HUGE,
    10**400,
    -1,
    math.nan,
    math.inf,
    "abc",
    "2024-01-01garbage",
    [True],
    [[1]],
    {"a": 1},
]
# values sent in place of the ids of a record method
BAD_IDS = [[HUGE], ["abc"], [True], [[1]], [None], {"a": 1}]

# a valid value per parameter name, so that each call has exactly one bad argument
VALID_PARAMS = {
    "product_ids": lambda t: [t.product.id],
    "product_id": lambda t: t.product.id,
    "warehouse_ids": lambda t: [t.warehouse.id],
    "warehouse_id": lambda t: t.warehouse.id,
    "uom_id": lambda t: t.product.uom_id.id,
    "date": lambda t: "2024-01-01",
    "quantity": lambda t: 1.0,
    "company": lambda t: t.company.id,
    "comment": lambda t: "a comment",
    "reason": lambda t: "a reason",
    "seed": lambda t: 42,
}
# free-text parameters: any string is a valid value for them
TEXT_PARAMS = {"comment", "reason"}
# parameters of CRUD overrides: the ORM's own contract, tested with field values
CRUD = {"create", "write", "unlink"}
WRITE_FIELD_TYPES = {
    "many2one",
    "many2many",
    "char",
    "text",
    "float",
    "monetary",
    "integer",
}
WRITE_BAD_VALUES = {
    "many2one": ["abc", HUGE, [1]],
    # ids as text, out of range, a malformed command, an id that does not exist
    "many2many": ["abc", [HUGE], [[6, 0, "x"]], [[4, 2147483000]]],
    "char": [["x"], {"a": 1}],
    "text": [["x"], {"a": 1}],
    "float": ["abc", math.nan, 10**400],
    "monetary": ["abc", math.nan],
    "integer": ["abc", HUGE],
}
MAX_WRITE_FIELDS = 4


class _Marshaller(xmlrpc.client.Marshaller):
    """xmlrpc.client refuses to send what a hostile client can send: integers
    beyond 32 bits, NaN and infinity. Write them as they are."""

    dispatch = dict(xmlrpc.client.Marshaller.dispatch)

    def dump_long(self, value, write):
        write(f"<value><int>{int(value)}</int></value>\n")

    dispatch[int] = dump_long

    def dump_double(self, value, write):
        write(f"<value><double>{value!r}</double></value>\n")

    dispatch[float] = dump_double


def _short(value, size=90):
    text = repr(value)
    return text if len(text) <= size else text[: size - 3] + "..."


ERROR_LINE = re.compile(r"^((\w+\.)+\w+|\w*(Error|Exception|Warning)): ")


def _first_line(text, size=160):
    """The line of a traceback or message that names the error."""
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    named = [line for line in lines if ERROR_LINE.match(line)]
    line = named[-1] if named else (lines[-1] if lines else "")
    return line if len(line) <= size else line[: size - 3] + "..."


@tagged("post_install", "-at_install")
class TestRpcMalformed(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # building the demo scenario is refused in a database that has one: the
        # harness must not build it for an administrator's malformed seed
        env["ir.config_parameter"].sudo().set_param(
            "distrib_demo.scenario_built", "rpc malformed test"
        )
        cls.company = env.company
        cls.other_company = env["res.company"].create({"name": "RPC Other Company"})
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.other_warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.other_company.id)], limit=1
        )
        cls.product = env["product.product"].create(
            {"name": "RPC product", "is_storable": True, "tracking": "lot"}
        )
        cls.partner = env["res.partner"].create({"name": "RPC customer"})
        cls.low_user = new_test_user(
            env,
            login="rpc_low",
            password="rpc_low_pwd_123",
            groups="base.group_user,distrib_atp.group_distrib_sales,"
            "sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.admin_user = new_test_user(
            env,
            login="rpc_admin",
            password="rpc_admin_pwd_123",
            groups="base.group_system,base.group_erp_manager,"
            "distrib_atp.group_distrib_manager,sales_team.group_sale_manager,"
            "stock.group_stock_manager,purchase.group_purchase_manager,"
            "account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.other_company).ids)],
        )
        cls.passwords = {
            cls.low_user.id: "rpc_low_pwd_123",
            cls.admin_user.id: "rpc_admin_pwd_123",
        }
        cls.fixtures = {
            company: cls._make_fixtures(company, warehouse)
            for company, warehouse in (
                (cls.company, cls.warehouse),
                (cls.other_company, cls.other_warehouse),
            )
        }
        cls.tables = cls._distrib_tables()

    @classmethod
    def _make_fixtures(cls, company, warehouse):
        """One record per company of the models whose methods take ids."""
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        env = env["base"].with_company(company).env
        order = env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "company_id": company.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )
        lot = env["stock.lot"].create(
            {
                "name": f"RPC-LOT-{company.id}",
                "product_id": cls.product.id,
                "company_id": company.id,
            }
        )
        policy = env["distrib.approval.policy"].create(
            {
                "name": f"RPC discount {company.id}",
                "company_id": company.id,
                "metric": "discount_percent",
                "threshold": 10.0,
                "approver_group_id": cls.env.ref(
                    "distrib_atp.group_distrib_manager"
                ).id,
            }
        )
        request = (
            env["distrib.approval.request"]
            .sudo()
            .create(
                {
                    "company_id": company.id,
                    "policy_id": policy.id,
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "value": 20.0,
                    "threshold": 10.0,
                    "requested_by_id": cls.env.uid,
                }
            )
        )
        exception = env["distrib.exception"].sudo()._raise_for(order, "order_hold")
        ai_model = env["distrib.ai.model"].create(
            {"company_id": company.id, "detector": "price"}
        )
        records = {
            "sale.order": order,
            "sale.order.line": order.order_line,
            "stock.lot": lot,
            "stock.warehouse": warehouse,
            "distrib.approval.policy": policy,
            "distrib.approval.request": request,
            "distrib.exception": exception,
            "distrib.ai.model": ai_model,
        }
        return {model: recs[:1].id for model, recs in records.items() if recs}

    @classmethod
    def _distrib_models(cls):
        return [
            name
            for name, model_cls in cls.env.registry.items()
            if any(
                (getattr(klass, "__module__", "") or "").startswith(
                    "odoo.addons.distrib_"
                )
                for klass in model_cls.__mro__
            )
        ]

    @classmethod
    def _distrib_tables(cls):
        tables = {}
        for name in cls._distrib_models() + CORE_TABLES_MODELS:
            model = cls.env[name]
            if model._abstract or not model._auto:
                continue
            tables[model._table] = "write_date" in model._fields and model._log_access
        return tables

    def _snapshot(self):
        queries = [
            SQL(
                "SELECT %s AS name, count(*) AS rows, %s AS written FROM %s",
                table,
                SQL("max(write_date)") if dated else SQL("NULL::timestamp"),
                SQL.identifier(table),
            )
            for table, dated in sorted(self.tables.items())
        ]
        self.env.cr.execute(SQL(" UNION ALL ").join(queries))
        return {name: (rows, written) for name, rows, written in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # the public methods and their malformed calls
    # ------------------------------------------------------------------
    def _public_methods(self):
        """(model, method name, function, defined by core too) of every public
        method defined in a distrib addon's python file."""
        methods = []
        for name in sorted(self._distrib_models()):
            model = self.env[name]
            model_cls = type(model)
            names = set()
            for klass in model_cls.__mro__:
                if not (getattr(klass, "__module__", "") or "").startswith(
                    "odoo.addons.distrib_"
                ):
                    continue
                names.update(
                    attr
                    for attr, value in vars(klass).items()
                    if not attr.startswith("_") and callable(value)
                )
            for attr in sorted(names):
                try:
                    function = get_public_method(model, attr)
                except (AccessError, AttributeError):
                    continue  # @api.private somewhere in the chain
                core = any(
                    attr in vars(klass)
                    for klass in model_cls.__mro__
                    if not (getattr(klass, "__module__", "") or "").startswith(
                        "odoo.addons.distrib_"
                    )
                    and klass.__module__.startswith("odoo.")
                )
                methods.append((name, attr, function, core))
        return methods

    def _ids(self, model, company):
        record_id = self.fixtures[company].get(model)
        if record_id:
            return [record_id]
        if "company_id" in self.env[model]._fields:
            record = (
                self.env[model]
                .sudo()
                .search([("company_id", "=", company.id)], limit=1, order="id")
            )
            if record:
                return record.ids
        return []

    def _calls(self, user):
        """(model, method, args, kwargs) of the malformed calls for ``user``."""
        low = user == self.low_user
        calls = []
        for model, name, function, core in self._public_methods():
            api = getattr(function, "_api", None)
            record_method = api not in ("model", "model_create")
            own_ids = self._ids(model, self.company)
            other_ids = self._ids(model, self.other_company)
            if name in CRUD:
                calls += self._crud_calls(model, name, own_ids, other_ids, low)
                continue
            params = [
                p
                for p in list(inspect.signature(function).parameters.values())[1:]
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            head = [own_ids] if record_method else []
            if record_method:
                # ids that do not exist, and another company's ids (a user of
                # one company), then (for the methods distrib adds) bad shapes
                id_sets = [[NONEXISTENT]]
                if low and other_ids:
                    id_sets.append(other_ids)
                if not core:
                    id_sets += [[], *BAD_IDS]
                valid_args = [self._valid(p) for p in params]
                if all(value is not inspect.Parameter.empty for value in valid_args):
                    calls += [(model, name, [ids, *valid_args], {}) for ids in id_sets]
                else:
                    calls += [(model, name, [ids], {}) for ids in id_sets]
            for index, param in enumerate(params):
                valid = [self._valid(p) for p in params]
                if inspect.Parameter.empty in valid[:index]:
                    continue
                required = param.default is inspect.Parameter.empty
                if required:
                    # the required argument left out
                    calls.append((model, name, [*head, *valid[:index]], {}))
                for bad in BAD_VALUES:
                    if bad is None or (not required and bad == param.default):
                        continue
                    if param.name in TEXT_PARAMS and isinstance(bad, str):
                        continue
                    args = [*head, *valid[:index], bad]
                    tail = valid[index + 1 :]
                    if inspect.Parameter.empty not in tail:
                        args += tail
                    calls.append((model, name, args, {}))
        return calls

    def _valid(self, param):
        if param.name in VALID_PARAMS:
            return VALID_PARAMS[param.name](self)
        return param.default

    def _crud_calls(self, model, name, own_ids, other_ids, low):
        calls = []
        if name == "unlink":
            calls.append((model, name, [[NONEXISTENT]], {}))
            if low and other_ids:
                calls.append((model, name, [other_ids], {}))
            return calls
        fields = [
            field
            for field in self.env[model]._fields.values()
            if field.type in WRITE_FIELD_TYPES
            and not field.compute
            and not field.related
            and field.name not in ("id", "company_id")
            and (getattr(field, "_module", "") or "").startswith("distrib_")
        ]
        # the first few fields, and a many2many one when the model has one
        many2many = [field for field in fields if field.type == "many2many"][:1]
        fields = list(dict.fromkeys(fields[:MAX_WRITE_FIELDS] + many2many))
        if name == "write" and not own_ids:
            return calls
        for field in fields:
            for bad in WRITE_BAD_VALUES[field.type]:
                vals = {field.name: bad}
                if name == "write":
                    calls.append((model, name, [own_ids, vals], {}))
                else:
                    calls.append((model, name, [[vals]], {}))
        if name == "write" and low and other_ids and fields:
            calls.append((model, name, [other_ids, {fields[0].name: False}], {}))
        return calls

    def _issue_calls(self):
        """The calls listed in issue #11.10, as they were sent."""
        request_id = self.fixtures[self.company]["distrib.approval.request"]
        exception_id = self.fixtures[self.company]["distrib.exception"]
        lot_id = self.fixtures[self.company]["stock.lot"]
        order_id = self.fixtures[self.company]["sale.order"]
        product, warehouse = [self.product.id], [self.warehouse.id]
        atp = "distrib.atp"
        return [
            (atp, "get_availability", [[HUGE], warehouse], {}),
            (atp, "get_availability", [product, [HUGE]], {}),
            (atp, "get_availability", [product, warehouse, None, 10**400], {}),
            (atp, "get_availability", [product, warehouse, None, math.nan], {}),
            (atp, "get_availability", [product, warehouse, None, math.inf], {}),
            (atp, "get_availability", [[True], warehouse], {}),
            (atp, "get_availability", [product, warehouse, "2024-01-01garbage"], {}),
            ("distrib.approval.request", "action_approve", [[]], {}),
            ("distrib.approval.request", "action_reject", [[]], {}),
            ("distrib.approval.request", "action_reject", [[request_id], 123], {}),
            ("distrib.approval.request", "action_reject", [[request_id], ["x"]], {}),
            (
                "distrib.order.dispute",
                "create",
                [[{"order_id": order_id, "reason": 5}]],
                {},
            ),
            ("distrib.ai.model", "action_run_company", ["Atlas"], {}),
            ("distrib.exception", "write", [[exception_id], {"owner_id": "abc"}], {}),
            (
                "stock.lot",
                "write",
                [[lot_id], {"distrib_hold": True, "distrib_hold_reason": ["x"]}],
                {},
            ),
            (
                "distrib.approval.request",
                "search_read",
                [[["can_decide", "=", True]]],
                {"fields": ["name"]},
            ),
            (
                "distrib.approval.request",
                "search_read",
                [[["can_decide", "!=", False]]],
                {"fields": ["name"]},
            ),
            (
                "distrib.approval.request",
                "search_read",
                [[["can_decide", "in", [True]]]],
                {"fields": ["name"]},
            ),
            (
                "distrib.approval.request",
                "search_read",
                [[["can_decide", "=", "abc"]]],
                {"fields": ["name"]},
            ),
        ]

    # ------------------------------------------------------------------
    # the two protocols
    # ------------------------------------------------------------------
    def _execute_kw(self, user, model, method, args, kwargs):
        return [
            self.env.cr.dbname,
            user.id,
            self.passwords[user.id],
            model,
            method,
            args,
            kwargs,
        ]

    def _jsonrpc(self, user, model, method, args, kwargs):
        """Return (None, result) or (error type, message)."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": self._execute_kw(user, model, method, args, kwargs),
            },
        }
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
        try:
            body = response.json()
        except ValueError:
            return f"HTTP {response.status_code}", response.text[-300:]
        if "error" not in body:
            return None, body.get("result")
        data = body["error"].get("data") or {}
        name = data.get("name") or body["error"].get("message")
        if name in USER_ERRORS:
            return None if data.get("message") else name, data.get("message")
        return name, _first_line(data.get("debug") or data.get("message"))

    def _xmlrpc(self, user, model, method, args, kwargs):
        marshaller = _Marshaller("utf-8", allow_none=True)
        params = marshaller.dumps(
            tuple(self._execute_kw(user, model, method, args, kwargs))
        )
        body = (
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>execute_kw"
            f"</methodName>\n{params}</methodCall>\n"
        )
        response = self.url_open(
            "/xmlrpc/2/object",
            data=body.encode(),
            headers={"Content-Type": "text/xml"},
            timeout=120,
        )
        try:
            result = xmlrpc.client.loads(response.content, use_builtin_types=True)
        except xmlrpc.client.Fault as fault:
            if fault.faultCode in XMLRPC_USER_FAULTS:
                message = fault.faultString
                return None if message.strip() else "empty message", message
            return f"fault {fault.faultCode}", _first_line(fault.faultString)
        except Exception as error:
            return f"unparsable answer ({error})", response.text[-300:]
        return None, result[0][0] if result[0] else None

    # ------------------------------------------------------------------
    def _run_calls(self, calls, failures):
        """Send each call, compare the tables with the state before the calls,
        and roll the call back, so that every call starts from the same data."""
        self.env.flush_all()
        baseline = self._snapshot()
        for user, model, method, args, kwargs, protocols in calls:
            for protocol_name in protocols:
                protocol = getattr(self, f"_{protocol_name}")
                self.env.cr.execute("SAVEPOINT distrib_rpc_malformed")
                error, detail = protocol(user, model, method, args, kwargs)
                after = self._snapshot()
                self.env.cr.execute("ROLLBACK TO SAVEPOINT distrib_rpc_malformed")
                self.env.invalidate_all()
                written = sorted(t for t in after if after[t] != baseline[t])
                where = (
                    f"{protocol_name} {user.login}: {model}.{method}"
                    f"({', '.join(_short(a) for a in args)}"
                    f"{', ' + _short(kwargs) if kwargs else ''})"
                )
                if error:
                    failures.append(f"{where} -> {error}: {detail}")
                elif written:
                    failures.append(
                        f"{where} -> wrote rows in {', '.join(written)} "
                        f"(answer {_short(detail, 60)})"
                    )

    def test_malformed_calls_get_user_errors_and_write_nothing(self):
        both = ("jsonrpc", "xmlrpc")
        calls = []
        for user in (self.low_user, self.admin_user):
            # the issue's calls over both protocols; the generated ones over one
            # protocol each, in turn, so that every method meets both (and the
            # module stays within a few minutes)
            calls += [(user, *call, both) for call in self._issue_calls()]
            calls += [
                (user, *call, (both[index % 2],))
                for index, call in enumerate(self._calls(user))
            ]
        sent = sum(len(call[-1]) for call in calls)
        self.assertGreater(sent, 300, "the harness generated too few calls")
        failures = []
        self._run_calls(calls, failures)
        if failures:
            methods = Counter(
                line.split(": ", 1)[1].split("(", 1)[0] for line in failures
            )
            summary = "\n".join(
                f"  {count:4d}  {method}" for method, count in sorted(methods.items())
            )
            self.fail(
                f"{len(failures)} of {sent} malformed RPC calls did not end in a "
                f"user-facing error without writes, in {len(methods)} methods:\n"
                f"{summary}\nThe calls:\n" + "\n".join(failures)
            )
