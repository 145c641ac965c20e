import {reactive} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";
import {ScreenPopContainer} from "./screen_pop";

/**
 * Shows the caller's card when a call rings at the user's extension: the
 * server sends "grid_telephony/ringing" on the bus, the card's content is read
 * with the user's rights, and "grid_telephony/call_update" closes the card once
 * another agent answered or the call ended.
 */
export const screenPopService = {
    dependencies: ["bus_service", "orm", "action", "notification"],
    start(env, {bus_service, orm, action, notification}) {
        const state = reactive({cards: []});

        function remove(callId) {
            state.cards = state.cards.filter((card) => card.call.id !== callId);
        }

        async function onRinging(payload) {
            let card;
            try {
                card = await orm.call("grid.call", "get_screen_pop", [
                    [payload.call_id],
                ]);
            } catch {
                notification.add(payload.caller_number || payload.caller_name, {
                    title: _t("Incoming call"),
                    type: "info",
                });
                return;
            }
            remove(card.call.id);
            // The bus replays the notifications of the last minute to a new
            // connection: a call that ended meanwhile gets no card.
            if (card.call.state === "ended") {
                return;
            }
            state.cards = [...state.cards, card];
        }

        function onUpdate(payload) {
            const card = state.cards.find((c) => c.call.id === payload.call_id);
            if (!card) {
                return;
            }
            const answeredElsewhere =
                payload.state === "answered" && payload.agent_id !== user.userId;
            if (payload.state === "ended" || answeredElsewhere) {
                remove(payload.call_id);
            } else {
                card.call.state = payload.state;
            }
        }

        async function newInteraction(callId, partnerId) {
            const context = partnerId ? {grid_partner_id: partnerId} : {};
            const todo = await orm.call(
                "grid.call",
                "action_new_interaction",
                [[callId]],
                {
                    context,
                }
            );
            remove(callId);
            await action.doAction(todo);
        }

        async function openRecord(model, id) {
            await action.doAction({
                type: "ir.actions.act_window",
                res_model: model,
                res_id: id,
                views: [[false, "form"]],
            });
        }

        bus_service.subscribe("grid_telephony/ringing", onRinging);
        bus_service.subscribe("grid_telephony/call_update", onUpdate);
        bus_service.start();
        return {state, remove, newInteraction, openRecord};
    },
};

registry.category("services").add("grid_screen_pop", screenPopService);
registry
    .category("main_components")
    .add("GridScreenPop", {Component: ScreenPopContainer});
