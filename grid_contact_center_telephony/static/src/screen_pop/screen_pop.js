import {Component, useState} from "@odoo/owl";
import {useService} from "@web/core/utils/hooks";

export class ScreenPopContainer extends Component {
    static template = "grid_contact_center_telephony.ScreenPopContainer";
    static props = {};

    setup() {
        this.screenPop = useService("grid_screen_pop");
        this.state = useState(this.screenPop.state);
    }

    servicePointsOf(card, partnerId) {
        return card.service_points.filter((point) => point.partner_id === partnerId);
    }

    interactionsOf(card, partnerId) {
        return card.interactions.filter((item) => item.partner_id === partnerId);
    }
}
