/** @odoo-module **/
import {Component, onMounted, onWillStart, onWillUnmount, useState} from "@odoo/owl";
import {MODEL, ScanQueue, newScanKey} from "./scan_queue.esm";
import {useBus, useService} from "@web/core/utils/hooks";
import {_t} from "@web/core/l10n/translation";
import {isBarcodeScannerSupported} from "@web/core/barcode/barcode_video_scanner";
import {registry} from "@web/core/registry";
import {scanBarcode} from "@web/core/barcode/barcode_dialog";
import {user} from "@web/core/user";

const TITLES = {
    home: _t("Warehouse"),
    pickings: _t("Transfers"),
    picking: _t("Transfer"),
    count: _t("Count"),
    move: _t("Move & Hold"),
    lookup: _t("Look up"),
};

/**
 * The Warehouse app: receive, pick and deliver, count, move and hold, look up,
 * by scanning (a handheld scanner through the `barcode` service, the camera
 * through web's barcode dialog, or typing). Every change goes through the
 * device's queue (ScanQueue): nothing is lost when the network drops, and the
 * server applies each scan once.
 */
export class WarehouseApp extends Component {
    static template = "distrib_barcode.WarehouseApp";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.actionService = useService("action");
        const barcode = useService("barcode");
        this.cameraSupported = isBarcodeScannerSupported();
        this.state = useState({
            screen: "home",
            home: null,
            code: null,
            pickings: [],
            picking: null,
            moves: [],
            location: null,
            backorderQuestion: false,
            count: null,
            setMode: false,
            move: {source: null, item: null, dest: null, lot: false},
            reason: "",
            lookup: null,
            message: "",
            messageType: "info",
            waiting: 0,
            offline: window.navigator.onLine === false,
            barcode: "",
            qty: "",
        });
        this.queue = new ScanQueue(this.orm, user.userId, {
            onAnswer: (answer, item) => this.onAnswer(answer, item),
            onRefusal: (error, item) => this.onRefusal(error, item),
            onChange: (count) => {
                this.state.waiting = count;
            },
        });
        this.state.waiting = this.queue.length;
        useBus(barcode.bus, "barcode_scanned", (ev) => this.onBarcode(ev.detail.barcode));
        this.onOnline = () => {
            this.state.offline = false;
            this.queue.drain();
        };
        this.onOffline = () => {
            this.state.offline = true;
        };
        onWillStart(() => this.loadHome());
        onMounted(() => {
            window.addEventListener("online", this.onOnline);
            window.addEventListener("offline", this.onOffline);
            this.retry = setInterval(() => this.queue.length && this.queue.drain(), 5000);
            this.queue.drain();
        });
        onWillUnmount(() => {
            window.removeEventListener("online", this.onOnline);
            window.removeEventListener("offline", this.onOffline);
            clearInterval(this.retry);
        });
    }

    get title() {
        if (this.state.screen === "picking" && this.state.picking) {
            return this.state.picking.name;
        }
        return TITLES[this.state.screen];
    }

    // ------------------------------------------------------------------
    // feedback
    // ------------------------------------------------------------------
    say(message, type = "success") {
        this.state.message = message;
        this.state.messageType = type;
        if (type === "danger") {
            try {
                window.navigator.vibrate?.(200);
                const audio = new Audio("/barcodes/static/src/audio/error.mp3");
                audio.play().catch(() => {});
            } catch {
                // no sound on this device
            }
        }
    }

    errorText(error) {
        return (error && error.data && error.data.message) || (error && error.message) || String(error);
    }

    async read(method, args, kwargs = {}) {
        try {
            return await this.orm.call(MODEL, method, args, kwargs);
        } catch (error) {
            this.say(this.errorText(error), "danger");
            return null;
        }
    }

    /** Queue a change; its answer comes through onAnswer. */
    send(method, args, kwargs = {}, context = {}) {
        const item = {
            key: newScanKey(user.userId),
            method,
            args,
            kwargs,
            context: {screen: this.state.screen, ...context},
        };
        item.kwargs.key = item.key;
        const promise = this.queue.push(item);
        if (this.queue.length && !this.queue.online) {
            this.say(_t("Offline: the scan waits on this device."), "warning");
        }
        return promise;
    }

    onRefusal(error, item) {
        this.say(this.errorText(error), "danger");
        if (item.method === "validate") {
            this.state.backorderQuestion = false;
        }
    }

    onAnswer(answer, item) {
        const method = item.method;
        if (["scan", "validate"].includes(method)) {
            if (this.state.picking && answer.picking && answer.picking.id === this.state.picking.id) {
                this.state.picking = answer.picking;
                this.state.moves = answer.moves;
            }
            if (method === "scan") {
                const scan = answer.scan || {};
                if (scan.kind === "location") {
                    this.state.location = {id: scan.location_id, name: scan.location};
                } else if (scan.kind === "picking") {
                    this.openPicking(scan.picking_id);
                }
                this.say(scan.message || "");
            } else {
                this.state.backorderQuestion = answer.result === "backorder";
                let type = {done: "success", backorder: "warning", approval: "warning"}[answer.result] || "danger";
                if (answer.exceptions && answer.exceptions.length) {
                    type = "warning";
                }
                this.say(answer.message, type);
            }
        } else if (["count_scan", "count_apply"].includes(method)) {
            if (this.state.count && answer.location && answer.location.id === this.state.count.location.id) {
                this.state.count = {location: answer.location, quants: answer.quants};
            }
            if (method === "count_scan") {
                this.say(answer.scan.message);
            } else {
                this.say(answer.message, answer.result === "done" ? "success" : "warning");
            }
        } else {
            this.say(answer.message, "success");
            if (method === "move") {
                this.state.move = {source: this.state.move.source, item: null, dest: null};
            }
        }
    }

    // ------------------------------------------------------------------
    // navigation
    // ------------------------------------------------------------------
    async loadHome() {
        const home = await this.read("get_operations", []);
        if (home) {
            this.state.home = home;
        }
    }

    async goHome() {
        this.state.screen = "home";
        this.state.picking = null;
        this.state.message = "";
        await this.loadHome();
    }

    back() {
        if (this.state.screen === "picking" && this.state.code) {
            return this.openList(this.state.code);
        }
        return this.goHome();
    }

    exit() {
        // to the user's first app: "/odoo" would open the home action, which
        // is this app for a warehouse user who lands in it
        this.env.bus.trigger("WEBCLIENT:LOAD_DEFAULT_APP");
    }

    async openList(code) {
        const pickings = await this.read("get_pickings", [code]);
        if (pickings) {
            this.state.code = code;
            this.state.pickings = pickings;
            this.state.screen = "pickings";
            this.state.picking = null;
        }
    }

    async openPicking(pickingId) {
        const answer = await this.read("open_picking", [pickingId]);
        if (answer) {
            this.state.picking = answer.picking;
            this.state.moves = answer.moves;
            this.state.location = null;
            this.state.backorderQuestion = false;
            this.state.screen = "picking";
            this.say(_t("Scan a location, a product or a lot."), "info");
        }
    }

    openScreen(screen) {
        this.state.screen = screen;
        this.state.message = "";
        if (screen === "count") {
            this.state.count = null;
            this.say(_t("Scan the location you count."), "info");
        } else if (screen === "move") {
            this.state.move = {source: null, item: null, dest: null};
            this.say(_t("Scan the location to move from, or a lot to hold."), "info");
        } else if (screen === "lookup") {
            this.state.lookup = null;
            this.say(_t("Scan a product, a lot or a location."), "info");
        }
    }

    // ------------------------------------------------------------------
    // scanning
    // ------------------------------------------------------------------
    async openCamera() {
        let barcode = null;
        try {
            barcode = await scanBarcode(this.env);
        } catch (error) {
            this.say(this.errorText(error), "danger");
            return;
        }
        if (barcode) {
            await this.onBarcode(barcode);
        }
    }

    async onManualKey(ev) {
        if (ev.key === "Enter" && this.state.barcode.trim()) {
            const barcode = this.state.barcode.trim();
            this.state.barcode = "";
            await this.onBarcode(barcode);
        }
    }

    takeQty() {
        const qty = parseFloat(String(this.state.qty).replace(",", "."));
        this.state.qty = "";
        return Number.isFinite(qty) ? qty : null;
    }

    async onBarcode(barcode) {
        const screen = this.state.screen;
        if (screen === "picking") {
            const kwargs = {qty: this.takeQty()};
            if (this.state.location) {
                kwargs.location_id = this.state.location.id;
            }
            return this.send("scan", [this.state.picking.id, barcode], kwargs);
        }
        if (screen === "count") {
            return this.onCountBarcode(barcode);
        }
        if (screen === "move") {
            return this.onMoveBarcode(barcode);
        }
        // home, transfer lists and look up: what is it?
        const answer = await this.read("lookup", [barcode]);
        if (!answer) {
            return;
        }
        if (answer.kind === "picking") {
            return this.openPicking(answer.picking_id);
        }
        this.state.lookup = answer;
        this.state.screen = "lookup";
        this.state.message = "";
    }

    async onCountBarcode(barcode) {
        if (!this.state.count) {
            const count = await this.read("count_location", [barcode]);
            if (count) {
                this.state.count = count;
                this.say(_t("Scan what is there; type a quantity to count several."), "info");
            }
            return;
        }
        const qty = this.takeQty();
        const setQuantity = this.state.setMode && qty !== null;
        return this.send("count_scan", [this.state.count.location.id, barcode], {
            qty,
            set_quantity: setQuantity,
        });
    }

    async onMoveBarcode(barcode) {
        const move = this.state.move;
        if (!move.source) {
            const found = await this.read("lookup", [barcode]);
            if (!found) {
                return;
            }
            if (found.kind === "location") {
                move.source = found.location;
                this.say(_t("Scan the product or the lot to move."), "info");
            } else if (found.lot) {
                move.item = {barcode, name: `${found.product.name} / ${found.lot.name}`, lot: found.lot};
                this.say(_t("Hold or release this lot, or scan where it is to move it."), "info");
            } else {
                this.say(_t("Scan a location first."), "danger");
            }
            return;
        }
        if (!move.item) {
            const found = await this.read("lookup", [barcode]);
            if (!found) {
                return;
            }
            if (found.kind === "location") {
                move.source = found.location;
                return;
            }
            move.item = {
                barcode,
                name: found.lot ? `${found.product.name} / ${found.lot.name}` : found.product.name,
                lot: found.lot,
            };
            this.say(_t("Scan the destination location."), "info");
            return;
        }
        return this.send("move", [move.source.id, move.item.barcode, barcode], {qty: this.takeQty()});
    }

    // ------------------------------------------------------------------
    // buttons
    // ------------------------------------------------------------------
    validate(backorder = null) {
        this.state.backorderQuestion = false;
        return this.send("validate", [this.state.picking.id], {backorder});
    }

    applyCount() {
        return this.send("count_apply", [this.state.count.location.id]);
    }

    hold() {
        const item = this.state.move.item;
        if (!this.state.reason.trim()) {
            this.say(_t("Give the reason for the hold."), "danger");
            return;
        }
        const reason = this.state.reason;
        this.state.reason = "";
        return this.send("hold", [item.barcode, reason]);
    }

    release() {
        return this.send("release", [this.state.move.item.barcode]);
    }

    resetMove() {
        this.state.move = {source: null, item: null, dest: null};
    }

    statusClass(status) {
        return {
            todo: "",
            under: "o_distrib_barcode_under",
            complete: "o_distrib_barcode_complete",
            over: "o_distrib_barcode_over",
            done: "o_distrib_barcode_complete",
        }[status];
    }

    fmt(value) {
        if (value === null || value === undefined) {
            return "–";
        }
        return Number(value).toLocaleString(undefined, {maximumFractionDigits: 3});
    }
}

registry.category("actions").add("distrib_barcode.warehouse", WarehouseApp);
