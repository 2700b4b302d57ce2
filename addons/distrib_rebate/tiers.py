"""The arithmetic of a tiered rebate scale (plain Python, no Odoo import).

A scale is a list of ``(threshold, rate)`` pairs, thresholds ascending, rates in
percent: the rate applies from its threshold (a period volume: quantities or
untaxed sales) up to the next threshold.

- **retroactive**: once the period reaches a tier, its rate applies to the whole
  period (``earned = volume * rate(volume)``);
- **incremental**: each tier's rate applies to the part of the volume inside
  that tier only (a marginal scale, like income tax brackets).
"""

RETROACTIVE = "retroactive"
INCREMENTAL = "incremental"


def tier_index(scale, volume):
    """Index of the tier ``volume`` reaches in ``scale``, -1 below the first."""
    index = -1
    for position, (threshold, _rate) in enumerate(scale):
        if volume >= threshold:
            index = position
        else:
            break
    return index


def rate_at(scale, volume):
    """Rate (%) of the tier ``volume`` reaches (0 below the first tier)."""
    index = tier_index(scale, volume)
    return scale[index][1] if index >= 0 else 0.0


def earned(scale, volume, mode=RETROACTIVE):
    """Rebate earned on a period ``volume`` (in the volume's unit: an amount
    for a value basis, a rebate in the same unit times the rate).

    A negative period volume (more credit notes than invoices) earns the
    first tier's rate on it, negative: the rebate given back."""
    if not scale:
        return 0.0
    if volume <= 0:
        first_threshold, first_rate = scale[0]
        return volume * first_rate / 100.0 if first_threshold <= 0 else 0.0
    if mode == RETROACTIVE:
        return volume * rate_at(scale, volume) / 100.0
    total = 0.0
    for position, (threshold, rate) in enumerate(scale):
        if volume <= threshold:
            break
        upper = scale[position + 1][0] if position + 1 < len(scale) else volume
        total += (min(volume, upper) - threshold) * rate / 100.0
    return total


def earned_rate(scale, volume, mode=RETROACTIVE):
    """Average rate (%) a period ``volume`` earns: the tier's rate when
    retroactive, the blend of the tiers' rates when incremental. Applied to
    the period's value, it gives the rebate also on a volume (quantity)
    basis."""
    if volume <= 0:
        return scale[0][1] if scale and scale[0][0] <= 0 else 0.0
    if mode == RETROACTIVE:
        return rate_at(scale, volume)
    return earned(scale, volume, mode) / volume * 100.0
