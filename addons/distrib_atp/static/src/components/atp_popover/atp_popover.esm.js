import {Component, onWillStart, useState} from "@odoo/owl";
import {formatDate, serializeDate} from "@web/core/l10n/dates";
import {formatFloat} from "@web/core/utils/numbers";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";
import {usePopover} from "@web/core/popover/popover_hook";
import {useService} from "@web/core/utils/hooks";

const {DateTime} = luxon;

export class DistribAtpBreakdown extends Component {
    static template = "distrib_atp.DistribAtpBreakdown";
    static props = {
        params: Object,
        close: Function,
    };

    setup() {
        this.orm = useService("orm");
        this.state = useState({loading: true, error: false, data: null});
        onWillStart(async () => {
            try {
                const {productId, quantity, uomId, date, warehouseId} =
                    this.props.params;
                this.state.data = await this.orm.call(
                    "sale.order.line",
                    "distrib_get_availability_breakdown",
                    [productId],
                    {
                        quantity,
                        uom_id: uomId,
                        date,
                        warehouse_id: warehouseId,
                    }
                );
            } catch (error) {
                this.state.error = error.data ? error.data.message : String(error);
            }
            this.state.loading = false;
        });
    }

    fmt(value) {
        return formatFloat(value || 0, {digits: [16, 2]});
    }

    fmtDate(value) {
        return value ? formatDate(DateTime.fromISO(value)) : "—";
    }

    rowClass(row) {
        const quantity = this.state.data.quantity || 1;
        if (row.promisable >= quantity) {
            return "text-success";
        }
        return row.promisable > 0 ? "text-warning" : "text-danger";
    }
}

export class DistribAtpIndicator extends Component {
    static template = "distrib_atp.DistribAtpIndicator";
    static props = {...standardFieldProps};

    setup() {
        this.popover = usePopover(DistribAtpBreakdown, {position: "left"});
    }

    get data() {
        return this.props.record.data;
    }

    get status() {
        return this.data[this.props.name];
    }

    get badgeClass() {
        return (
            {
                available: "text-bg-success",
                partial: "text-bg-warning",
                short: "text-bg-danger",
            }[this.status] || "text-bg-light"
        );
    }

    get promiseDate() {
        const date = this.data.distrib_atp_date;
        return date ? formatDate(date) : "";
    }

    get title() {
        const selection = this.props.record.fields[this.props.name].selection;
        const found = (selection || []).find((item) => item[0] === this.status);
        return found ? found[1] : "";
    }

    openPopover(ev) {
        if (!this.data.product_id) {
            return;
        }
        const scheduled = this.data.scheduled_date;
        this.popover.open(ev.currentTarget, {
            params: {
                productId: this.data.product_id[0],
                quantity: this.data.product_uom_qty,
                uomId: this.data.product_uom && this.data.product_uom[0],
                date: scheduled ? serializeDate(scheduled) : false,
                warehouseId: this.data.warehouse_id && this.data.warehouse_id[0],
            },
        });
    }
}

export const distribAtpIndicator = {
    component: DistribAtpIndicator,
    supportedTypes: ["selection"],
    fieldDependencies: [
        {name: "distrib_atp_date", type: "date"},
        {name: "distrib_atp_qty", type: "float"},
    ],
};

registry.category("fields").add("distrib_atp_popover", distribAtpIndicator);
