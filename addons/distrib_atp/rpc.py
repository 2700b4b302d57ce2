"""Guards of the public (RPC) methods of the distrib addons.

Every public method is an RPC endpoint: the ids of its records and the values
written to the distrib fields come from the client as they were sent. A client can
send strings, booleans, nested lists or integers beyond PostgreSQL's range where ids
are expected; they must end in an error the user can act on, before any SQL runs.

* ``@distrib_rpc()`` on a public method checks the call's arguments against the
  method's signature (a missing or unknown argument is a user error, not a
  TypeError) and its records (:func:`check_rpc_records`): every id an integer
  from 1 to 2**31 - 1, every record existing, exactly one with
  ``singleton=True``. Under ``@api.model`` it checks the arguments only.
* :func:`check_vals`, called by the create/write overrides, checks the values of
  the fields the distrib addons define against their types, and that the records
  a many2many value links exist (a list refreshed since it was opened).
"""

import functools
import inspect
import math

from odoo import Command, models
from odoo.exceptions import MissingError, UserError, ValidationError
from odoo.models import NewId

# the largest id PostgreSQL's integer columns hold
MAX_ID = 2**31 - 1
# the range of PostgreSQL's integer columns
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)
# a float beyond this is not a quantity or an amount anybody means
MAX_FLOAT = 1e15


def short_repr(value, size=60):
    text = repr(value)
    return text if len(text) <= size else text[: size - 3] + "..."


def _model_name(records):
    return records._description or records._name


def check_rpc_records(records, singleton=False):
    """Raise a UserError naming the ids of ``records`` that are not ids of
    existing records, or when ``singleton`` and there is not exactly one."""
    env = records.env
    ids = records._ids
    bad = [
        value
        for value in ids
        if not isinstance(value, NewId)
        and (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 < value <= MAX_ID
        )
    ]
    if bad:
        raise UserError(
            env._(
                "%(values)s: the records of %(model)s must be given by their ids "
                "(integers from 1 to %(max)s).",
                values=", ".join(short_repr(value) for value in bad),
                model=_model_name(records),
                max=MAX_ID,
            )
        )
    if singleton and len(ids) != 1:
        raise UserError(
            env._(
                "This action works on one record of %(model)s at a time, "
                "%(count)s were given.",
                model=_model_name(records),
                count=len(ids),
            )
        )
    stored = [value for value in ids if not isinstance(value, NewId)]
    if not stored:
        return True
    if records._abstract or not records._auto:
        raise UserError(
            env._(
                "%(model)s has no records: the ids %(ids)s cannot be acted on.",
                model=_model_name(records),
                ids=", ".join(str(value) for value in stored),
            )
        )
    missing = set(stored) - set(records.browse(stored).exists()._ids)
    if missing:
        raise MissingError(
            env._(
                "No record of %(model)s has the id %(ids)s: it does not exist or "
                "was deleted.",
                model=_model_name(records),
                ids=", ".join(str(value) for value in sorted(missing)),
            )
        )
    return True


def check_rpc_args(records, name, signature, args, kwargs):
    """Raise a UserError when ``args`` and ``kwargs`` do not fit ``signature``
    (the method ``name`` of ``records``): which arguments it takes, in words."""
    try:
        signature.bind(records, *args, **kwargs)
    except TypeError:
        params = [
            param.name
            if param.default is inspect.Parameter.empty
            else f"{param.name}={short_repr(param.default, 20)}"
            for param in list(signature.parameters.values())[1:]
            if param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD)
        ]
        raise UserError(
            records.env._(
                "%(model)s.%(method)s takes the arguments (%(params)s); it was "
                "called with %(count)s positional argument(s) and %(names)s.",
                model=records._name,
                method=name,
                params=", ".join(params),
                count=len(args),
                names=", ".join(sorted(kwargs)) or records.env._("no named one"),
            )
        ) from None


def distrib_rpc(singleton=False):
    """Decorate a public record method: check its records before it runs.

    :param singleton: the method needs exactly one record
    """

    def decorate(method):
        signature = inspect.signature(method)

        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            check_rpc_args(self, method.__name__, signature, args, kwargs)
            check_rpc_records(self, singleton=singleton)
            return method(self, *args, **kwargs)

        return guarded

    return decorate


# ----------------------------------------------------------------------
# values of create/write
# ----------------------------------------------------------------------
def _ok_many2one(field, value):
    if value is None or value is False or isinstance(value, NewId):
        return True
    if isinstance(value, models.BaseModel):
        return value._name == field.comodel_name and len(value) <= 1
    return (
        isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
    )


def _ok_float(field, value):
    if value is None or value is False:
        return True
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and abs(number) <= MAX_FLOAT


def _ok_integer(field, value):
    if value is None or value is False:
        return True
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and MIN_INT <= value <= MAX_INT
    )


def _ok_char(field, value):
    return value is None or value is False or isinstance(value, str)


def _many2many_ids(value):
    """The ids a many2many value (ids, or commands) links by SET and LINK, with
    the ids its other commands name; None when it is not such a value."""
    if value is None or value is False or isinstance(value, models.BaseModel):
        return set()
    if not isinstance(value, list | tuple):
        return None
    ids = set()
    for item in value:
        if isinstance(item, int | NewId):
            ids.add(item)
            continue
        if not isinstance(item, list | tuple) or not item:
            return None
        code = item[0]
        if code == Command.SET:
            if len(item) < 3 or not isinstance(item[2], list | tuple):
                return None
            ids.update(item[2])
        elif code in (Command.LINK, Command.UNLINK, Command.DELETE, Command.UPDATE):
            if len(item) < 2:
                return None
            ids.add(item[1])
        elif code == Command.CREATE:
            if len(item) < 3 or not isinstance(item[2], dict):
                return None
        elif code != Command.CLEAR:
            return None
    return ids


def _ok_many2many(field, value):
    ids = _many2many_ids(value)
    return ids is not None and all(
        isinstance(record_id, NewId)
        or (
            isinstance(record_id, int)
            and not isinstance(record_id, bool)
            and 0 < record_id <= MAX_ID
        )
        for record_id in ids
    )


VALUE_CHECKS = {
    "many2one": _ok_many2one,
    "many2many": _ok_many2many,
    "float": _ok_float,
    "monetary": _ok_float,
    "integer": _ok_integer,
    "char": _ok_char,
    "text": _ok_char,
    "html": _ok_char,
}


def check_vals(model, vals_list):
    """Raise a ValidationError naming the field and the value of ``vals_list``
    (a dict or a list of dicts, as given to create/write) that does not fit the
    type of a field defined by a distrib addon. Nothing is written before."""
    if isinstance(vals_list, dict):
        vals_list = [vals_list]
    linked = {}  # many2many field: the ids its values link
    for vals in vals_list:
        if not isinstance(vals, dict):
            continue
        for name, value in vals.items():
            field = model._fields.get(name)
            if field is None or not (field._module or "").startswith("distrib_"):
                continue
            if field.type == "many2many" and _ok_many2many(field, value):
                linked.setdefault(field, set()).update(
                    record_id
                    for record_id in _many2many_ids(value)
                    if isinstance(record_id, int)
                )
            check = VALUE_CHECKS.get(field.type)
            if field.type == "selection" and value not in (None, False):
                selection = field.get_values(model.env)
                if value in selection:
                    continue
            elif check is None or check(field, value):
                continue
            raise ValidationError(
                model.env._(
                    "%(value)s is not a valid value for the field %(field)s of "
                    "%(model)s.",
                    value=short_repr(value),
                    field=field._description_string(model.env),
                    model=_model_name(model),
                )
            )
    # one query per many2many field: ids deleted since the client read them
    # get words, not the database's foreign key error
    for field, ids in linked.items():
        comodel = model.env[field.comodel_name].sudo()
        missing = ids - set(comodel.browse(ids).exists().ids)
        if missing:
            raise ValidationError(
                model.env._(
                    "%(field)s of %(model)s: the records %(ids)s no longer exist "
                    "(deleted or refreshed since the screen was opened). Reload "
                    "it and try again.",
                    field=field._description_string(model.env),
                    model=_model_name(model),
                    ids=", ".join(map(str, sorted(missing))),
                )
            )
    return True
