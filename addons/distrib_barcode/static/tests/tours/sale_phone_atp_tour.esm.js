import {registry} from "@web/core/registry";

// a quotation on a phone: its lines are cards, each card shows the ATP badge
registry.category("web_tour.tours").add("distrib_barcode_sale_phone_atp_tour", {
    steps: () => [
        {
            content: "The order lines are cards on a phone",
            trigger:
                ".o_field_widget[name=order_line] .o_kanban_record:contains('BC Phone Widget')",
        },
        {
            content: "The card shows the ATP indicator of the line",
            trigger:
                ".o_field_widget[name=order_line] .o_kanban_record:contains('BC Phone Widget') .o_field_distrib_atp_popover .o_distrib_atp_indicator .badge",
        },
    ],
});
