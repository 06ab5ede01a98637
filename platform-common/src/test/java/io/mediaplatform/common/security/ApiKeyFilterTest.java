package io.mediaplatform.common.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API-key filter on a servlet request of Spring's test fixtures: who passes, and the 401 problem of who does not. */
class ApiKeyFilterTest {

    private static final String KEY = "acme-secret-key";
    private static final ApiKeyRegistry REGISTRY = ApiKeyRegistry.parse(
            "acme:" + ApiKeyRegistry.sha256Hex(KEY) + ":media:read,messages:send; globex:" + ApiKeyRegistry.sha256Hex("g"));
    private static final ApiKeyFilter FILTER = new ApiKeyFilter(REGISTRY, List.of("/v1/media/*/content"));

    private static Result run(String path, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        FILTER.doFilter(request, response, chain);
        return new Result(chain.getRequest() != null, response,
                (AuthenticatedTenant) request.getAttribute(ApiKeyFilter.TENANT_ATTRIBUTE));
    }

    private record Result(boolean passed, MockHttpServletResponse response, AuthenticatedTenant tenant) {
    }

    @Test
    void a_known_key_passes_as_its_tenant_with_its_scopes() throws Exception {
        Result result = run("/v1/messages", "Bearer " + KEY);
        assertThat(result.passed()).isTrue();
        assertThat(result.tenant().tenantId()).isEqualTo("acme");
        assertThat(result.tenant().scopes()).containsExactly("media:read", "messages:send");
        assertThat(run("/v1/messages", "bearer  " + KEY).tenant().tenantId()).isEqualTo("acme");
        assertThat(run("/v1/messages", "Bearer g").tenant().scopes()).isEqualTo(AuthenticatedTenant.ALL_SCOPES);
    }

    @Test
    void a_missing_or_unknown_key_is_a_401_problem_and_goes_no_further() throws Exception {
        Result missing = run("/v1/messages", null);
        assertThat(missing.passed()).isFalse();
        assertThat(missing.response().getStatus()).isEqualTo(401);
        assertThat(missing.response().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(missing.response().getContentType()).startsWith("application/problem+json");
        assertThat(missing.response().getContentAsString()).contains("\"status\":401").contains("Missing API key");

        Result unknown = run("/v1/messages", "Bearer not-a-key");
        assertThat(unknown.passed()).isFalse();
        assertThat(unknown.response().getContentAsString()).contains("Unknown API key");
        assertThat(run("/v1/messages", "Basic " + KEY).passed()).isFalse();
    }

    @Test
    void a_401_problem_names_its_path_as_instance_like_every_other_problem_and_stays_valid_json() throws Exception {
        // Given a path with a quote and a backslash in it, and no key
        // When it is requested
        Result result = run("/v1/media/a\"b\\c", null);

        // Then the 401 is one JSON object whose instance is that path, escaped
        var body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(result.response().getContentAsString());
        assertThat(body.path("status").asInt()).isEqualTo(401);
        assertThat(body.path("type").asText()).isEqualTo("/problems/unauthorized");
        assertThat(body.path("instance").asText()).isEqualTo("/v1/media/a\"b\\c");
    }

    @Test
    void public_paths_pass_without_a_key_but_not_with_a_wrong_one_and_non_api_paths_are_not_filtered() throws Exception {
        assertThat(run("/v1/media/m-1/content", null).passed()).isTrue();
        assertThat(run("/v1/media/m-1/content", "Bearer not-a-key").response().getStatus()).isEqualTo(401);
        assertThat(run("/actuator/health", null).passed()).isTrue();
    }

    @Test
    void a_scope_the_key_lacks_is_refused_and_malformed_key_lists_stop_the_start() {
        AuthenticatedTenant acme = REGISTRY.authenticate(KEY).orElseThrow();
        assertThat(acme.require(AuthenticatedTenant.MEDIA_READ)).isSameAs(acme);
        assertThatThrownBy(() -> acme.require(AuthenticatedTenant.SETTINGS_ADMIN)).hasMessageContaining("settings:admin");
        assertThatThrownBy(() -> ApiKeyRegistry.parse("acme:not-a-hash")).hasMessageContaining("API_KEYS")
                .hasMessageContaining("acme");
        assertThat(ApiKeyRegistry.parse(" ").isEmpty()).isTrue();
    }
}
