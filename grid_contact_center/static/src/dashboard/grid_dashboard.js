import { Component, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

// The figures change with every call; five minutes keeps a wall screen
// current without loading the server.
const REFRESH_INTERVAL_MS = 5 * 60 * 1000;

/**
 * The contact center head's dashboard. It shows the sections that
 * `grid.dashboard.get_dashboard` returns, so the addons that extend that
 * method add their sections here without code of their own.
 */
export class GridDashboard extends Component {
    static template = "grid_contact_center.Dashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.periods = [
            { key: "today", label: _t("Today") },
            { key: "week", label: _t("Last 7 days") },
            { key: "month", label: _t("This month") },
        ];
        this.state = useState({ period: "today", data: null });
        onWillStart(() => this.load());
        onMounted(() => {
            this.timer = setInterval(() => this.load(), REFRESH_INTERVAL_MS);
        });
        onWillUnmount(() => clearInterval(this.timer));
    }

    async load() {
        this.state.data = await this.orm.call("grid.dashboard", "get_dashboard", [], {
            period: this.state.period,
        });
    }

    async setPeriod(period) {
        this.state.period = period;
        await this.load();
    }

    open(action) {
        if (action) {
            this.actionService.doAction(action);
        }
    }

    formatValue(card) {
        if (card.value === null || card.value === undefined || card.value === false) {
            return "—";
        }
        const number = Number.isInteger(card.value)
            ? formatInteger(card.value)
            : formatFloat(card.value, { digits: [false, 1] });
        return card.unit ? `${number} ${card.unit}` : number;
    }

    cardClass(card) {
        const classes = ["o_grid_dashboard_card", "card"];
        if (card.tone) {
            classes.push(`border-${card.tone}`, `text-${card.tone}`);
        }
        if (card.action) {
            classes.push("o_grid_dashboard_clickable");
        }
        return classes.join(" ");
    }
}

registry.category("actions").add("grid_contact_center.dashboard", GridDashboard);
