import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("distrib_atp_popover_tour", {
    steps: () => [
        {
            content: "The short line shows its indicator",
            trigger: ".o_field_distrib_atp_popover .badge:contains('Partial')",
        },
        {
            content: "Open the breakdown",
            trigger: ".o_distrib_atp_indicator",
            run: "click",
        },
        {
            content: "Every warehouse of the company is listed",
            trigger: ".o_distrib_atp_popover td:contains('ATP Tour Second')",
        },
        {
            content: "The line's warehouse comes first",
            trigger: ".o_distrib_atp_popover tbody tr.fw-bold:first-child",
        },
    ],
});
