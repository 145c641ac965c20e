import {registry} from "@web/core/registry";

// The provider and the agent's extension that the Python test creates.
const PROVIDER_CODE = "tour";
const WEBHOOK_SECRET = "tour-secret";
const EXTENSION = "3101";
const CALLER = "8 (4012) 55-66-77";
const CALLER_E164 = "+74012556677";

async function postSignedEvents(events) {
    const body = new TextEncoder().encode(JSON.stringify({events}));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const key = await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(WEBHOOK_SECRET),
        {name: "HMAC", hash: "SHA-256"},
        false,
        ["sign"]
    );
    const signed = new Uint8Array([
        ...new TextEncoder().encode(timestamp + "."),
        ...body,
    ]);
    const digest = new Uint8Array(await crypto.subtle.sign("HMAC", key, signed));
    const hex = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    const response = await fetch(`/grid_telephony/${PROVIDER_CODE}/events`, {
        method: "POST",
        headers: {
            "Content-Type": "application/json",
            "X-Grid-Timestamp": timestamp,
            "X-Grid-Signature": `sha256=${hex}`,
        },
        body,
    });
    if (!response.ok) {
        throw new Error(
            `webhook answered ${response.status}: ${await response.text()}`
        );
    }
}

registry.category("web_tour.tours").add("grid_telephony_screen_pop", {
    steps: () => [
        {
            content: "The web client is ready and listens on the bus",
            trigger: ".o_main_navbar",
            async run() {
                const now = new Date().toISOString();
                const common = {
                    call_id: "tour-call-1",
                    occurred_at: now,
                    direction: "inbound",
                    caller_number: CALLER,
                    caller_name: "Tour Caller",
                    called_number: "4012000000",
                };
                await postSignedEvents([
                    {...common, event_id: "tour-call-1:started", type: "started"},
                    {
                        ...common,
                        event_id: "tour-call-1:ringing:1",
                        type: "ringing",
                        agent_extension: EXTENSION,
                    },
                ]);
            },
        },
        {
            content: "The caller's card shows the consumer with this number",
            trigger: ".o_grid_screen_pop_consumer:contains('Тур Потребитель')",
        },
        {
            content: "Its open interaction is listed",
            trigger: ".o_grid_screen_pop_interaction",
        },
        {
            content: "and the outage at the consumer's service point with its ETR",
            trigger:
                ".o_grid_screen_pop_outage .o_grid_screen_pop_outage_etr:contains('Estimated restoration:')",
        },
        {
            content: "One click opens the desk for the caller",
            trigger: ".o_grid_screen_pop_consumer .o_grid_screen_pop_new",
            run: "click",
        },
        {
            content: "The desk is prefilled with the consumer",
            trigger:
                ".o_form_view .o_field_widget[name='partner_id'] input:value('Тур Потребитель')",
        },
        {
            content: "and with the caller's number",
            trigger: `.o_form_view .o_field_widget[name='caller_phone'] input:value('${CALLER_E164}')`,
        },
        {
            content: "and shows the call it was opened from",
            trigger: ".o_form_view .o_field_widget[name='call_id'] a",
        },
        {
            content: "Choose the topic by its code",
            trigger: ".o_form_view .o_field_widget[name='topic_id'] input",
            run: "edit 4.2",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Supply interruption')",
            run: "click",
        },
        {
            content: "Register the interaction",
            trigger: ".o_form_view button[name='action_register']",
            run: "click",
        },
        {
            content: "The registered report opens, linked to the outage",
            trigger:
                ".o_form_view .o_field_widget[name='outage_id'] input:value('OUT-TOUR')",
        },
    ],
});
