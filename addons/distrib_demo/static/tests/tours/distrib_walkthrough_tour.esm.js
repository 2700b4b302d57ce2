/* The README's walk-through on the scenario database, one tour per role, each
   started at /odoo in the user's default company selection (tests/test_scenario.py). */
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

const openApp = [
    {
        content: "Open the app switcher",
        trigger: ".o_navbar_apps_menu button",
        run: "click",
    },
    {
        content: "Open the Distribution app",
        trigger: ".o_app[data-menu-xmlid='distrib_atp.distrib_menu_root']",
        run: "click",
    },
];

function openMenu(section, item) {
    return [
        ...openApp,
        {
            content: `Open ${section}`,
            trigger: `.o_main_navbar [data-menu-xmlid='${section}']`,
            run: "click",
        },
        {
            content: `Open ${item}`,
            trigger: `.o-dropdown--menu [data-menu-xmlid='${item}']`,
            run: "click",
        },
    ];
}

function search(text) {
    return [
        {
            content: `Search ${text}`,
            trigger: ".o_searchview_input",
            run: `edit ${text} && press Enter`,
        },
        {
            content: "The search is applied",
            trigger: `.o_searchview_facet:contains('${text}')`,
        },
    ];
}

// step 1-2 as `sales`: the ATP demo quotations, their indicator, the sourcing options
tours.add("distrib_walkthrough_sales", {
    steps: () => [
        ...openMenu(
            "distrib_atp.distrib_menu_operations",
            "distrib_atp.distrib_menu_quotations"
        ),
        {
            content: "Real quotations, not the sample data",
            trigger: ".o_list_view:not(:has(.o_view_sample_data)) .o_data_row",
        },
        ...search("ATP demo"),
        {
            content: "The four ATP demo quotations are listed",
            trigger: ".o_list_view .o_data_row:nth-child(4)",
        },
        {
            content: "Only them",
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(5)))",
        },
        {
            content: "Clear the search",
            trigger: ".o_searchview_facet:contains('ATP demo') .o_facet_remove",
            run: "click",
        },
        ...search("ATP demo: warehouse"),
        {
            content: "Open the 'warehouse' quotation",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The line shows its ATP indicator, short or partial",
            trigger:
                ".o_field_distrib_atp_popover .badge:contains('Short'), .o_field_distrib_atp_popover .badge:contains('Partial')",
        },
        {
            content: "Open the breakdown",
            trigger: ".o_distrib_atp_indicator",
            run: "click",
        },
        {
            content: "The breakdown lists the other warehouse of the company",
            trigger: ".o_distrib_atp_popover td:contains('Atlanta Distribution Center')",
        },
        {
            content: "Close the breakdown",
            trigger: ".o_distrib_atp_popover",
            run: "press Escape",
        },
        {
            content: "The banner offers the sourcing options",
            trigger: ".alert button[name='action_distrib_sourcing_options']",
            run: "click",
        },
        {
            content: "Open the Sourcing tab",
            trigger: ".o_notebook .nav-link:contains('Sourcing')",
            run: "click",
        },
        {
            content: "The ranked options include another warehouse",
            trigger:
                "div[name='distrib_sourcing_option_ids'] .o_data_row td:contains('Other warehouse')",
        },
        {
            content: "Apply the other warehouse",
            trigger:
                "div[name='distrib_sourcing_option_ids'] .o_data_row:has(td:contains('Other warehouse')) button[name='action_apply']",
            run: "click",
        },
        {
            content: "The short line is sourced: the banner is gone",
            trigger:
                ".o_form_view:not(:has(.alert button[name='action_distrib_sourcing_options']))",
        },
    ],
});

// step 5 as `finance`: the exception queue and the approvals
tours.add("distrib_walkthrough_finance", {
    steps: () => [
        ...openMenu(
            "distrib_atp.distrib_menu_operations",
            "distrib_exceptions.distrib_exception_menu"
        ),
        {
            content: "The open queue lists real exceptions, by status",
            trigger: ".o_kanban_view:not(:has(.o_view_sample_data)) .o_kanban_record",
        },
        {
            content: "A credit hold is in the queue",
            trigger: ".o_kanban_view .o_kanban_record:contains('Credit Hold')",
        },
        {
            content: "A shortage too",
            trigger: ".o_kanban_view .o_kanban_record:contains('Shortage')",
        },
        {
            content: "Open the approvals",
            trigger: ".o_main_navbar [data-menu-xmlid='distrib_atp.distrib_menu_operations']",
            run: "click",
        },
        {
            content: "Approvals",
            trigger:
                ".o-dropdown--menu [data-menu-xmlid='distrib_exceptions.distrib_approval_request_menu']",
            run: "click",
        },
        {
            content: "Pending approvals are listed",
            trigger: ".o_list_view:not(:has(.o_view_sample_data)) .o_data_row td:contains('Pending')",
        },
        {
            content: "Show the decided ones too",
            trigger: ".o_searchview_facet:contains('Pending') .o_facet_remove",
            run: "click",
        },
        {
            content: "Approved requests are listed",
            trigger: ".o_list_view .o_data_row td:contains('Approved')",
        },
        {
            content: "Rejected requests are listed",
            trigger: ".o_list_view .o_data_row td:contains('Rejected')",
        },
    ],
});

// steps 3-4 as `manager`: the dashboard, the EXPEDITE order's intercompany purchase
// and timeline, the intercompany balances
tours.add("distrib_walkthrough_manager", {
    steps: () => [
        ...openApp,
        {
            content: "Open the dashboard",
            trigger:
                ".o_main_navbar [data-menu-xmlid='distrib_orchestration.distrib_dashboard_menu']",
            run: "click",
        },
        {
            content: "Orders by event state",
            trigger:
                ".o_distrib_orchestration_dashboard [data-kpi='pipeline'] .o_distrib_orchestration_row",
        },
        {
            content: "Cycle time",
            trigger: ".o_distrib_orchestration_dashboard [data-kpi='cycle_days']",
        },
        {
            content: "Fill rate",
            trigger: ".o_distrib_orchestration_dashboard [data-kpi='fill_rate']",
        },
        {
            content: "Promise accuracy",
            trigger: ".o_distrib_orchestration_dashboard [data-kpi='on_time_percent']",
        },
        {
            content: "Margin erosion",
            trigger: ".o_distrib_orchestration_dashboard [data-kpi='margin_erosion']",
        },
        {
            content: "DSO",
            trigger: ".o_distrib_orchestration_dashboard [data-kpi='dso']",
        },
        {
            content: "Open the operations",
            trigger: ".o_main_navbar [data-menu-xmlid='distrib_atp.distrib_menu_operations']",
            run: "click",
        },
        {
            content: "Orders",
            trigger: ".o-dropdown--menu [data-menu-xmlid='distrib_atp.distrib_menu_sale_orders']",
            run: "click",
        },
        ...search("EXPEDITE"),
        {
            content: "Open the EXPEDITE order",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Open its timeline",
            trigger: ".o_notebook .nav-link:contains('Timeline')",
            run: "click",
        },
        {
            content: "The timeline lists its events",
            trigger: "div[name='distrib_event_ids'] .o_data_row",
        },
        {
            content: "Its Intercompany smart button",
            trigger: ".o_form_view .oe_stat_button:contains('Intercompany')",
            run: "click",
        },
        {
            content: "The purchase order to the other entity opens",
            trigger:
                ".o_form_view .o_field_widget[name='partner_id']:contains('Atlas Supply West')",
        },
        {
            content: "Its receipt was validated",
            trigger: ".o_form_view .oe_stat_button:contains('Receipt')",
        },
        {
            content: "Open the reporting",
            trigger: ".o_main_navbar [data-menu-xmlid='distrib_atp.distrib_menu_reporting']",
            run: "click",
        },
        {
            content: "Intercompany Balances",
            trigger:
                ".o-dropdown--menu [data-menu-xmlid='distrib_intercompany.distrib_intercompany_balance_menu']",
            run: "click",
        },
        {
            content: "Balances due from Atlas Supply West",
            trigger: ".o_list_view .o_group_header:contains('Atlas Supply West')",
            run: "click",
        },
        {
            content: "Due to Atlas Supply East",
            trigger: ".o_list_view .o_group_header:contains('Atlas Supply East')",
            run: "click",
        },
        {
            content: "The pair nets to zero",
            trigger: ".o_list_view .o_data_row td:contains('Matched')",
        },
    ],
});
