"""Time-phased projection of the promisable stock of one product in one warehouse.

Plain Python, no ORM: the engine (``models/distrib_atp.py``) fills one
``Projection`` per product and warehouse from a fixed number of SQL queries, and the
sale order lines, the sourcing options and the confirmation check all read it.
"""

import math

# UoM rounding -> decimals, computed once per rounding
_DECIMALS = {}


def decimals_of(rounding):
    """Decimals of a UoM rounding: 0.01 -> 2, 1.0 -> 0, 0.5 -> 1."""
    decimals = _DECIMALS.get(rounding)
    if decimals is None:
        decimals = _DECIMALS[rounding] = max(0, math.ceil(-math.log10(rounding) - 1e-9))
    return decimals


class Projection:
    """Stock of one product in one warehouse, in the product's unit of measure.

    ``on_hand``/``reserved`` cover the sellable locations of the warehouse, ``held``
    the unreserved quantity of lots on hold in them. ``events`` maps a day to the
    quantities that enter (``[0]``) and leave (``[1]``, not yet reserved) the sellable
    stock of the warehouse that day, from confirmed moves.

    A ``blank`` projection (no stock, no move) is shared by every product and
    warehouse without any: it must not be changed.
    """

    __slots__ = (
        "blank",
        "damaged",
        "decimals",
        "events",
        "factor",
        "held",
        "in_transit",
        "on_hand",
        "quarantine",
        "reserved",
        "returns",
        "rounding",
    )

    def __init__(self, rounding=0.0001, blank=False):
        self.rounding = rounding or 0.0001
        self.decimals = decimals_of(self.rounding)
        self.factor = 10.0**self.decimals
        self.blank = blank
        self.on_hand = self.reserved = self.held = 0.0
        self.quarantine = self.damaged = self.returns = self.in_transit = 0.0
        self.events = {}

    def clone(self):
        """A projection of the same figures that may be changed (demand added)
        without touching this one (a blank one is shared)."""
        clone = Projection(self.rounding)
        for name in self.__slots__:
            setattr(clone, name, getattr(self, name))
        clone.blank = False
        clone.events = {day: list(qty) for day, qty in self.events.items()}
        return clone

    @property
    def free(self):
        """Sellable stock neither reserved nor held."""
        return self.on_hand - self.reserved - self.held

    def add_move(self, day, incoming, quantity):
        quantities = self.events.get(day)
        if quantities is None:
            quantities = self.events[day] = [0.0, 0.0]
        quantities[0 if incoming else 1] += quantity

    def incoming(self, day):
        """Receipts due by ``day`` (overdue ones included)."""
        return sum(qty[0] for event_day, qty in self.events.items() if event_day <= day)

    def outgoing(self, day):
        """Unreserved demand due by ``day`` (overdue included)."""
        return sum(qty[1] for event_day, qty in self.events.items() if event_day <= day)

    def level(self, day):
        """Time-phased ATP: free now + receipts due by ``day`` - demand due by it."""
        return self.free + self.incoming(day) - self.outgoing(day)

    def _levels(self, start):
        """[(day, level)] at ``start`` and at every later event day, in order."""
        days = sorted({start} | {day for day in self.events if day > start})
        level = self.level(start)
        levels = [(start, level)]
        for day in days[1:]:
            quantities = self.events[day]
            level += quantities[0] - quantities[1]
            levels.append((day, level))
        return levels

    def promisable(self, day):
        """What can be promised for ``day`` without starving a later demand.

        The lowest projected level from ``day`` on: promising more would make a
        delivery already planned for a later day short.
        """
        return min(level for _day, level in self._levels(day))

    def next_available_date(self, quantity, today):
        """First day from ``today`` on when ``quantity`` can be promised, or None."""
        levels = self._levels(today)
        tolerance = self.rounding / 2.0
        # suffix minimum: the quantity promisable on each day
        result = None
        lowest = None
        for day, level in reversed(levels):
            lowest = level if lowest is None else min(lowest, level)
            if lowest + tolerance >= quantity:
                result = day
            else:
                break
        return result

    def figures(self, day, today, quantity):
        """Every figure of the engine for ``day``, in one pass over the events.

        ``(incoming, outgoing, atp, promisable, next_available_date)``:
        ``incoming``/``outgoing`` due by ``day``, ``atp`` the level on ``day``,
        ``promisable`` the lowest level from ``max(day, today)`` on and the first
        day from ``today`` on when ``quantity`` is promisable (or None).
        """
        free = self.free
        incoming = outgoing = 0.0
        level_today = free
        later = []
        for event_day in sorted(self.events):
            quantities = self.events[event_day]
            if event_day <= day:
                incoming += quantities[0]
                outgoing += quantities[1]
            if event_day <= today:
                level_today += quantities[0] - quantities[1]
            else:
                later.append((event_day, quantities[0] - quantities[1]))
        levels = [(today, level_today)]
        level = level_today
        for event_day, delta in later:
            level += delta
            levels.append((event_day, level))
        start = max(day, today)
        promisable = None
        tolerance = self.rounding / 2.0
        next_date = None
        lowest = None
        searching = True
        for index in range(len(levels) - 1, -1, -1):
            event_day, level = levels[index]
            lowest = level if lowest is None else min(lowest, level)
            if promisable is None and event_day <= start:
                promisable = lowest
            if searching:
                if lowest + tolerance >= quantity:
                    next_date = event_day
                else:
                    searching = False
        return incoming, outgoing, free + incoming - outgoing, promisable, next_date

    def values(self, day, today, quantity, dates):
        """The engine's figures for ``day`` as a plain dict, rounded half up to
        the unit's decimals.

        ``dates`` caches the ISO strings of the dates (``{date: "YYYY-MM-DD"}``),
        shared by the calls of one request.
        """
        if self.events:
            incoming, outgoing, atp, promisable, next_date = self.figures(
                day, today, quantity
            )
        else:
            # no move: the level is the free stock on every day (most products
            # in most warehouses; spares the call on the engine's hot path)
            incoming = outgoing = 0.0
            atp = promisable = self.on_hand - self.reserved - self.held
            next_date = today if atp + self.rounding / 2.0 >= quantity else None
        factor = self.factor
        floor = math.floor
        on_hand = self.on_hand
        reserved = self.reserved
        held = self.held
        if next_date:
            next_string = dates.get(next_date)
            if next_string is None:
                next_string = dates[next_date] = next_date.isoformat()
        else:
            next_string = False
        day_string = dates.get(day)
        if day_string is None:
            day_string = dates[day] = day.isoformat()
        # floor(x * factor + 0.5) / factor: round(x, n) is much slower; most
        # figures are zero and need no rounding
        quarantine, damaged, returns, in_transit = (
            self.quarantine,
            self.damaged,
            self.returns,
            self.in_transit,
        )
        return {
            "on_hand": on_hand and floor(on_hand * factor + 0.5) / factor,
            "reserved": reserved and floor(reserved * factor + 0.5) / factor,
            "held": held and floor(held * factor + 0.5) / factor,
            "free": floor((on_hand - reserved - held) * factor + 0.5) / factor,
            "quarantine": quarantine and floor(quarantine * factor + 0.5) / factor,
            "damaged": damaged and floor(damaged * factor + 0.5) / factor,
            "returns": returns and floor(returns * factor + 0.5) / factor,
            "in_transit": in_transit and floor(in_transit * factor + 0.5) / factor,
            "incoming": incoming and floor(incoming * factor + 0.5) / factor,
            "outgoing": outgoing and floor(outgoing * factor + 0.5) / factor,
            "atp": floor(atp * factor + 0.5) / factor,
            "promisable": floor(promisable * factor + 0.5) / factor,
            "quantity": quantity,
            "date": day_string,
            "next_available_date": next_string,
        }
