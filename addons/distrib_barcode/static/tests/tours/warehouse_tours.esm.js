import {registry} from "@web/core/registry";

/** Type ``barcode`` into the scan field and press Enter, as a scanner does. */
function scan(barcode, content) {
    return [
        {
            content: content || `Scan ${barcode}`,
            trigger: ".o_distrib_barcode_input",
            run: `edit ${barcode}`,
        },
        {
            content: "The scanner ends with Enter",
            trigger: ".o_distrib_barcode_input",
            run: "press Enter",
        },
    ];
}

function setNetwork(online) {
    Object.defineProperty(window.navigator, "onLine", {
        configurable: true,
        get: () => online,
    });
    window.dispatchEvent(new Event(online ? "online" : "offline"));
}

registry.category("web_tour.tours").add("distrib_barcode_receipt_tour", {
    steps: () => [
        {
            content: "Open the receipts",
            trigger: ".o_distrib_barcode_op_incoming",
            run: "click",
        },
        {
            content: "Open the receipt of the order",
            trigger: ".o_distrib_barcode_picking:contains('BC Tour Vendor')",
            run: "click",
        },
        ...scan("5400000000010", "Scan the product"),
        {
            content: "One counted, less than expected",
            trigger: ".o_distrib_barcode_move.o_distrib_barcode_under .o_distrib_barcode_done:contains('1')",
        },
        {
            content: "Type the quantity of the rest received",
            trigger: ".o_distrib_barcode_qty",
            run: "edit 7",
        },
        ...scan("5400000000010", "Scan the product with the quantity"),
        {
            content: "Eight of ten received",
            trigger: ".o_distrib_barcode_move .o_distrib_barcode_done:contains('8')",
        },
        {
            content: "Validate",
            trigger: ".o_distrib_barcode_validate",
            run: "click",
        },
        {
            content: "Odoo asks about the rest: no backorder",
            trigger: ".o_distrib_barcode_no_backorder",
            run: "click",
        },
        {
            content: "The variance exception is reported in words",
            trigger: ".o_distrib_barcode_message:contains('Exception raised')",
        },
    ],
});

registry.category("web_tour.tours").add("distrib_barcode_pick_tour", {
    steps: () => [
        {
            content: "Open the deliveries",
            trigger: ".o_distrib_barcode_op_outgoing",
            run: "click",
        },
        {
            content: "Open the delivery",
            trigger: ".o_distrib_barcode_picking:contains('BC Tour Customer')",
            run: "click",
        },
        {
            content: "Lot A is reserved",
            trigger: ".o_distrib_barcode_lot:contains('TOUR-LOT-A')",
        },
        ...scan("TOUR-SHELF", "Scan the shelf"),
        {
            content: "The shelf is the current location",
            trigger: ".o_distrib_barcode_location:contains('Tour Shelf')",
        },
        {
            content: "Three units",
            trigger: ".o_distrib_barcode_qty",
            run: "edit 3",
        },
        ...scan("TOUR-LOT-B", "Scan lot B, free on the shelf"),
        {
            content: "The line now takes lot B",
            trigger: ".o_distrib_barcode_move.o_distrib_barcode_complete .o_distrib_barcode_lot:contains('TOUR-LOT-B')",
        },
        {
            content: "Validate",
            trigger: ".o_distrib_barcode_validate",
            run: "click",
        },
        {
            content: "Validated",
            trigger: ".o_distrib_barcode_message:contains('is validated')",
        },
    ],
});

registry.category("web_tour.tours").add("distrib_barcode_count_tour", {
    steps: () => [
        {
            content: "Open the count",
            trigger: ".o_distrib_barcode_op_count",
            run: "click",
        },
        ...scan("TOUR-SHELF", "Scan the location counted"),
        {
            content: "Twenty on hand",
            trigger: ".o_distrib_barcode_quant:contains('20')",
        },
        {
            content: "The quantity typed is the count",
            trigger: ".o_distrib_barcode_set_mode",
            run: "click",
        },
        {
            content: "Ten counted",
            trigger: ".o_distrib_barcode_qty",
            run: "edit 10",
        },
        ...scan("5400000000010", "Scan the product"),
        {
            content: "Counted ten",
            trigger: ".o_distrib_barcode_counted:contains('10')",
        },
        {
            content: "Apply",
            trigger: ".o_distrib_barcode_apply",
            run: "click",
        },
        {
            content: "The count waits for finance",
            trigger: ".o_distrib_barcode_waiting_approval",
        },
        {
            content: "And says so",
            trigger: ".o_distrib_barcode_message:contains('Waiting for approval')",
        },
    ],
});

registry.category("web_tour.tours").add("distrib_barcode_offline_tour", {
    steps: () => [
        {
            content: "Open the receipts",
            trigger: ".o_distrib_barcode_op_incoming",
            run: "click",
        },
        {
            content: "Open the receipt",
            trigger: ".o_distrib_barcode_picking:contains('BC Tour Vendor')",
            run: "click",
        },
        {
            content: "The network drops",
            trigger: ".o_distrib_barcode_input",
            run: () => setNetwork(false),
        },
        {
            content: "The app knows",
            trigger: ".o_distrib_barcode_offline",
        },
        ...scan("5400000000010", "Scan offline"),
        ...scan("15400000000017", "Scan a box offline"),
        {
            content: "Two scans wait on the device",
            trigger: ".o_distrib_barcode_waiting:contains('2 scans waiting')",
        },
        {
            content: "Nothing applied yet",
            trigger: ".o_distrib_barcode_move .o_distrib_barcode_done:contains('0')",
        },
        {
            content: "The network returns",
            trigger: ".o_distrib_barcode_offline",
            run: () => setNetwork(true),
        },
        {
            content: "The queue drains in order: 1 + 6",
            trigger: ".o_distrib_barcode_move .o_distrib_barcode_done:contains('7')",
        },
        {
            content: "No scan waits any more",
            trigger: ".o_distrib_barcode:not(:has(.o_distrib_barcode_waiting))",
        },
    ],
});
