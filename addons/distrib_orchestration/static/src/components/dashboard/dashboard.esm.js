import {Component, onWillStart, useState} from "@odoo/owl";
import {Layout} from "@web/search/layout";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

export class DistribDashboard extends Component {
    static template = "distrib_orchestration.DistribDashboard";
    static components = {Layout};
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({kpis: {}});
        onWillStart(async () => {
            this.state.kpis = await this.orm.call(
                "distrib.kpi.dashboard",
                "get_kpis",
                []
            );
        });
    }

    formatNumber(value, digits = 1) {
        return (value || 0).toLocaleString(undefined, {
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
        });
    }

    formatAmount(value) {
        const currency = this.state.kpis.currency || {};
        const amount = this.formatNumber(value, currency.digits || 0);
        return currency.position === "before"
            ? `${currency.symbol} ${amount}`
            : `${amount} ${currency.symbol}`;
    }

    /** A figure added by another addon (``_kpi_extend``), in its format. */
    formatTile(tile) {
        if (tile.format === "amount") {
            return this.formatAmount(tile.value);
        }
        const number = this.formatNumber(tile.value);
        if (tile.format === "percent") {
            return `${number} %`;
        }
        return tile.unit ? `${number} ${tile.unit}` : number;
    }

    maxOf(rows, key) {
        return Math.max(1, ...(rows || []).map((row) => row[key] || 0));
    }

    barStyle(value, top) {
        return `width: ${Math.max(0, (100 * (value || 0)) / top)}%`;
    }

    /**
     * Open the records behind a figure: the action of ``key`` (a tile or a
     * panel), narrowed to one of the panel's rows when ``row`` is given.
     */
    open(key, row = null) {
        const action = (this.state.kpis.actions || {})[key];
        if (!action) {
            return;
        }
        if (!row) {
            return this.actionService.doAction(action);
        }
        return this.actionService.doAction({
            ...action,
            name: `${action.name}: ${row.label}`,
            domain: [...action.domain, ...row.domain],
            context: {},
        });
    }

    count(key) {
        return (this.state.kpis.counts || {})[key] || 0;
    }
}

registry.category("actions").add("distrib_orchestration.dashboard", DistribDashboard);
