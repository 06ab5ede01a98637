package io.mediaplatform.dispatch.inbound.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundRoutesTest {

    @Test
    void routes_each_provider_address_to_its_tenant_and_inbox() {
        // Given the contract's example
        InboundRoutes routes = InboundRoutes.parse(
                "whatsapp:106540352242922=demo/demo-inbox;twilio:+15550100002=demo/demo-inbox;notify:demo-sender=acme");

        // Then each address finds its route, the inbox optional
        assertThat(routes.size()).isEqualTo(3);
        assertThat(routes.find("whatsapp", "106540352242922"))
                .contains(new InboundRoutes.Route("demo", "demo-inbox"));
        assertThat(routes.find("twilio", "+15550100002")).contains(new InboundRoutes.Route("demo", "demo-inbox"));
        assertThat(routes.find("notify", "demo-sender")).contains(new InboundRoutes.Route("acme", null));
    }

    @Test
    void an_address_is_routed_only_for_its_own_provider() {
        // Given a route of a WhatsApp phone number id
        InboundRoutes routes = InboundRoutes.parse("whatsapp:106540352242922=demo/demo-inbox");

        // Then the same address of another provider, and other addresses, have no route
        assertThat(routes.find("twilio", "106540352242922")).isEmpty();
        assertThat(routes.find("whatsapp", "106540352242923")).isEmpty();
        assertThat(routes.find("whatsapp", null)).isEmpty();
    }

    @Test
    void providers_are_case_insensitive_blanks_are_trimmed_and_empty_entries_skipped() {
        // Given an entry written loosely, with a trailing separator
        InboundRoutes routes = InboundRoutes.parse(" WhatsApp : 106540352242922 = demo / demo-inbox ;; ");

        // Then it is the same route
        assertThat(routes.size()).isEqualTo(1);
        assertThat(routes.find("WHATSAPP", " 106540352242922 "))
                .contains(new InboundRoutes.Route("demo", "demo-inbox"));
    }

    @Test
    void a_twilio_number_is_found_with_or_without_the_whatsapp_prefix() {
        // Given a Twilio number routed once, written with its prefix
        InboundRoutes routes = InboundRoutes.parse("twilio:whatsapp:+15550100002=demo");

        // Then WhatsApp-through-Twilio and MMS to that number find it
        assertThat(routes.find("twilio", "+15550100002")).contains(new InboundRoutes.Route("demo", null));
        assertThat(routes.find("twilio", "whatsapp:+15550100002")).contains(new InboundRoutes.Route("demo", null));
    }

    @Test
    void an_empty_setting_routes_nothing() {
        assertThat(InboundRoutes.parse("").size()).isZero();
        assertThat(InboundRoutes.parse(null).size()).isZero();
        assertThat(InboundRoutes.parse("  ").find("whatsapp", "1")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "whatsapp:106540352242922",          // no tenant
            "106540352242922=demo",              // no provider
            ":106540352242922=demo",             // empty provider
            "telegram:42=demo",                  // unknown provider
            "whatsapp:=demo",                    // empty address
            "whatsapp:1=",                       // empty tenant
            "whatsapp:1=/inbox",                 // empty tenant before the inbox
            "whatsapp:1=demo/",                  // empty inbox
            "whatsapp:1=demo/a/b",               // an inbox with '/'
            "whatsapp:1=de mo",                  // whitespace in the tenant
            "whatsapp:1=demo;whatsapp:1=other"   // the same address twice
    })
    void a_malformed_entry_is_refused_with_a_message_naming_it_and_the_format(String spec) {
        assertThatThrownBy(() -> InboundRoutes.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Malformed INBOUND_ROUTES entry")
                .hasMessageContaining("<provider>:<address>=<tenantId>[/<inboxId>]");
    }

    @Test
    void the_error_names_which_entry_is_wrong() {
        assertThatThrownBy(() -> InboundRoutes.parse("whatsapp:1=demo;twilio+15550100002=demo"))
                .hasMessageContaining("entry 2 'twilio+15550100002=demo'")
                .hasMessageContaining("no '<provider>:'");
    }
}
