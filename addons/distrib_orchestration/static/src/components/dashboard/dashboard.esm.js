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

    maxOf(rows, key) {
        return Math.max(1, ...(rows || []).map((row) => row[key] || 0));
    }

    barStyle(value, top) {
        return `width: ${Math.max(0, (100 * (value || 0)) / top)}%`;
    }

    open(xmlid) {
        this.actionService.doAction(xmlid);
    }
}

registry.category("actions").add("distrib_orchestration.dashboard", DistribDashboard);
