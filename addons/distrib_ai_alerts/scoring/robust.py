"""Robust per-group statistics (median / MAD) with shrinkage to a parent group.

Plain numpy, no Odoo: the detectors fit these on a company's history and store
the result as JSON (see ``GroupModel.to_json``).
"""

import numpy as np

MAD_TO_SIGMA = 1.4826
# points a group needs before its median weighs as much as its parent centre
TRUST = 1.0


def group_medians(codes, values, n_groups):
    """Median of ``values`` per integer group code ``0 <= code < n_groups``.

    Returns ``(medians, counts)``; the median of an empty group is NaN. One sort,
    no Python loop over the groups.
    """
    codes = np.asarray(codes, dtype=np.int64)
    values = np.asarray(values, dtype=float)
    counts = np.bincount(codes, minlength=n_groups)
    medians = np.full(n_groups, np.nan)
    if not len(values):
        return medians, counts
    order = np.lexsort((values, codes))
    sorted_values = values[order]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    filled = counts > 0
    low = starts + (counts - 1) // 2
    high = starts + counts // 2
    medians[filled] = (sorted_values[low[filled]] + sorted_values[high[filled]]) / 2.0
    return medians, counts


def recent_mask(keys, dates, window):
    """True for the ``window`` most recent rows of each key."""
    keys = np.asarray(keys)
    if not len(keys):
        return np.zeros(0, dtype=bool)
    order = np.lexsort((-np.asarray(dates, dtype=float), keys))
    sorted_keys = keys[order]
    new_group = np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(keys)), 0))
    rank = np.arange(len(keys)) - group_start
    mask = np.zeros(len(keys), dtype=bool)
    mask[order] = rank < window
    return mask


def pair_key(first, second):
    """One int64 key for a pair of non-negative ids (each below 2**31)."""
    return np.asarray(first, dtype=np.int64) * (2**31) + np.asarray(
        second, dtype=np.int64
    )


class GroupModel:
    """Centre and scale of a value per child group, shrunk to its parent group.

    A parent's centre and scale are its median and MAD shrunk to the whole
    population's: ``(n * own + k * population) / (n + k)``. A child's
    within-group spread is its own MAD shrunk (weight ``n / (n + k)``) to the
    typical MAD of its parent's children; its centre is the normal-normal
    posterior of its median against its parent's centre (precisions
    ``n / within**2`` and ``1 / parent_scale**2``), and its scale the
    predictive ``sqrt(within**2 + posterior variance)``: a child with few
    points borrows from its parent, one with many stands on its own. Scales
    never go below ``floor`` (absolute) nor ``rel_floor * |centre|``, and a
    child's scale not below ``parent_floor`` times its parent's.
    """

    def __init__(
        self,
        child_keys,
        child_centre,
        child_scale,
        child_count,
        parent_keys,
        parent_centre,
        parent_scale,
        parent_count,
        global_stats,
    ):
        self.child_keys = np.asarray(child_keys, dtype=np.int64)
        self.child_centre = np.asarray(child_centre, dtype=float)
        self.child_scale = np.asarray(child_scale, dtype=float)
        self.child_count = np.asarray(child_count, dtype=np.int64)
        self.parent_keys = np.asarray(parent_keys, dtype=np.int64)
        self.parent_centre = np.asarray(parent_centre, dtype=float)
        self.parent_scale = np.asarray(parent_scale, dtype=float)
        self.parent_count = np.asarray(parent_count, dtype=np.int64)
        self.global_stats = tuple(global_stats)

    # ------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        child_keys,
        parent_keys,
        values,
        *,
        prior=5.0,
        floor=0.0,
        rel_floor=0.0,
        parent_floor=0.0,
        use_global=True,
    ):
        child_keys = np.asarray(child_keys, dtype=np.int64)
        parent_keys = np.asarray(parent_keys, dtype=np.int64)
        values = np.asarray(values, dtype=float)
        if len(values):
            g_med = float(np.median(values))
            g_mad = float(np.median(np.abs(values - g_med))) * MAD_TO_SIGMA
        else:
            g_med, g_mad = 0.0, 0.0
        g_scale = max(g_mad, floor, rel_floor * abs(g_med))
        global_stats = (g_med, g_scale, len(values))

        p_uniq, p_codes = np.unique(parent_keys, return_inverse=True)
        p_med, p_cnt = group_medians(p_codes, values, len(p_uniq))
        p_mad, _cnt = group_medians(
            p_codes, np.abs(values - p_med[p_codes]), len(p_uniq)
        )
        p_mad = p_mad * MAD_TO_SIGMA
        if use_global:
            p_centre, p_scale = _shrink(p_med, p_mad, p_cnt, g_med, g_scale, prior)
        else:
            p_centre, p_scale = p_med, p_mad
        p_scale = np.maximum(p_scale, np.maximum(floor, rel_floor * np.abs(p_centre)))
        # a MAD from few points is unreliable: widen it
        p_scale = p_scale * (1.0 + 1.0 / np.sqrt(np.maximum(p_cnt, 1)))

        c_uniq, c_first, c_codes = np.unique(
            child_keys, return_index=True, return_inverse=True
        )
        c_med, c_cnt = group_medians(c_codes, values, len(c_uniq))
        c_mad, _cnt = group_medians(
            c_codes, np.abs(values - c_med[c_codes]), len(c_uniq)
        )
        c_mad = c_mad * MAD_TO_SIGMA
        parent_of_child = p_codes[c_first]
        # within-group spread: the child's own MAD, shrunk to the typical MAD
        # of the children of its parent (those with enough points to have one)
        steady = c_cnt >= 3
        within_p, _cnt = group_medians(
            parent_of_child[steady], c_mad[steady], len(p_uniq)
        )
        fallback = float(np.median(c_mad[steady])) if steady.any() else np.nan
        within_p = np.where(np.isnan(within_p), fallback, within_p)
        within_p = np.where(np.isnan(within_p), p_scale, within_p)
        within_p = np.maximum(within_p, floor)
        weight = c_cnt / (c_cnt + prior)
        own_mad = np.where(np.isnan(c_mad), 0.0, c_mad)
        within = np.sqrt(
            weight * own_mad**2 + (1 - weight) * within_p[parent_of_child] ** 2
        )
        within = np.maximum(within, np.maximum(floor, rel_floor * np.abs(c_med)))
        within = within * (1.0 + 1.0 / np.sqrt(np.maximum(c_cnt, 1)))
        # normal-normal posterior of the child's centre: its own median weighed
        # against the parent's centre by their precisions
        between = np.maximum(p_scale[parent_of_child], floor)
        # a group's first points could themselves be anomalies: until it has
        # a few points, its median weighs no more than the parent's centre
        trusted = np.maximum(within, between * np.sqrt(TRUST / np.maximum(c_cnt, 1)))
        data_precision = c_cnt / trusted**2
        prior_precision = 1.0 / between**2
        c_centre = (
            data_precision * np.nan_to_num(c_med)
            + prior_precision * p_centre[parent_of_child]
        ) / (data_precision + prior_precision)
        c_scale = np.sqrt(within**2 + 1.0 / (data_precision + prior_precision))
        c_scale = np.maximum(c_scale, np.maximum(floor, rel_floor * np.abs(c_centre)))
        c_scale = np.maximum(c_scale, parent_floor * p_scale[parent_of_child])
        return cls(
            c_uniq,
            c_centre,
            c_scale,
            c_cnt,
            p_uniq,
            p_centre,
            p_scale,
            p_cnt,
            global_stats if use_global else (np.nan, np.nan, 0),
        )

    # ------------------------------------------------------------------
    def lookup(self, child_keys, parent_keys):
        """``(centre, scale, count, level)`` per row; level 2 = own group,
        1 = parent only, 0 = population, -1 = unknown (no global fallback)."""
        child_keys = np.asarray(child_keys, dtype=np.int64)
        parent_keys = np.asarray(parent_keys, dtype=np.int64)
        size = len(child_keys)
        centre = np.full(size, self.global_stats[0], dtype=float)
        scale = np.full(size, self.global_stats[1], dtype=float)
        count = np.zeros(size, dtype=np.int64)
        level = np.where(np.isnan(centre), -1, 0)
        p_pos, p_found = _find(self.parent_keys, parent_keys)
        centre[p_found] = self.parent_centre[p_pos[p_found]]
        scale[p_found] = self.parent_scale[p_pos[p_found]]
        count[p_found] = self.parent_count[p_pos[p_found]]
        level[p_found] = 1
        c_pos, c_found = _find(self.child_keys, child_keys)
        centre[c_found] = self.child_centre[c_pos[c_found]]
        scale[c_found] = self.child_scale[c_pos[c_found]]
        count[c_found] = self.child_count[c_pos[c_found]]
        level[c_found] = 2
        return centre, scale, count, level

    def to_json(self):
        return {
            "child": [
                self.child_keys.tolist(),
                _rounded(self.child_centre),
                _rounded(self.child_scale),
                self.child_count.tolist(),
            ],
            "parent": [
                self.parent_keys.tolist(),
                _rounded(self.parent_centre),
                _rounded(self.parent_scale),
                self.parent_count.tolist(),
            ],
            "global": [
                None if np.isnan(self.global_stats[0]) else self.global_stats[0],
                None if np.isnan(self.global_stats[1]) else self.global_stats[1],
                int(self.global_stats[2]),
            ],
        }

    @classmethod
    def from_json(cls, data):
        g_centre, g_scale, g_count = data["global"]
        return cls(
            *data["child"],
            *data["parent"],
            (
                np.nan if g_centre is None else g_centre,
                np.nan if g_scale is None else g_scale,
                g_count,
            ),
        )


def _shrink(median, mad, count, parent_centre, parent_scale, prior):
    count = count.astype(float)
    weight = count / (count + prior)
    median = np.where(np.isnan(median), parent_centre, median)
    mad = np.where(np.isnan(mad), parent_scale, mad)
    centre = weight * median + (1 - weight) * parent_centre
    scale = np.sqrt(weight * mad**2 + (1 - weight) * parent_scale**2)
    return centre, scale


def _find(sorted_keys, keys):
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    return pos, sorted_keys[pos] == keys


def _rounded(array):
    return [round(float(x), 6) for x in array]


def score_from_z(z, threshold):
    """0-100 score from an anomaly strength: 50 at the threshold, 75 at twice it."""
    ratio = np.maximum(np.asarray(z, dtype=float), 0.0) / threshold
    return 100.0 * (1.0 - np.power(0.5, ratio))


def severity_from_score(score):
    if score >= 90:
        return "critical"
    if score >= 75:
        return "high"
    if score >= 60:
        return "medium"
    return "low"
