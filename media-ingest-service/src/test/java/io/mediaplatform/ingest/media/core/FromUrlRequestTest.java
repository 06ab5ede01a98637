package io.mediaplatform.ingest.media.core;

import io.mediaplatform.ingest.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FromUrlRequestTest {

    private static FromUrlRequest request(FromUrlRequest.Auth auth) {
        return new FromUrlRequest("https://cdn.example.com/a.png", "conv", "mms", null, null, null, null, auth);
    }

    @Test
    void each_kind_of_credentials_is_read_and_never_shown_by_to_string() {
        // When each kind is validated
        var bearer = request(new FromUrlRequest.Auth("Bearer", "tok-1", null, null, null, null, null, null)).validate();
        var basic = request(new FromUrlRequest.Auth("basic", null, "al", "pw-2", null, null, null, null)).validate();
        var oauth = request(new FromUrlRequest.Auth("oauth2", null, null, null, "https://idp.example.com/token", "id",
                "secret-3", "read")).validate();

        // Then the credentials are typed, and no secret is in any toString
        assertThat(bearer.credentials()).isEqualTo(new SourceCredentials.Bearer("tok-1"));
        assertThat(((SourceCredentials.Basic) basic.credentials()).header()).isEqualTo("Basic YWw6cHctMg==");
        assertThat(oauth.credentials()).isInstanceOf(SourceCredentials.OAuth2.class);
        assertThat(bearer + " " + basic + " " + oauth).doesNotContain("tok-1", "pw-2", "secret-3");
        assertThat(request(new FromUrlRequest.Auth("bearer", "tok-1", null, null, null, null, null, null)).toString())
                .doesNotContain("tok-1");
    }

    @Test
    void missing_or_unsafe_fields_are_refused_naming_the_field() {
        assertThatThrownBy(() -> new FromUrlRequest(" ", "c", "mms", null, null, null, null, null).validate())
                .isInstanceOf(InvalidInputException.class).extracting("field").isEqualTo("sourceUrl");
        assertThatThrownBy(() -> new FromUrlRequest("https://x.example/a", "c", "mms", null, "not a type", null, null, null)
                .validate()).extracting("field").isEqualTo("mimeType");
        assertThatThrownBy(() -> request(new FromUrlRequest.Auth("oauth2", null, null, null, null, "id", "s", null)).validate())
                .extracting("field").isEqualTo("auth.tokenUrl");
        assertThatThrownBy(() -> request(new FromUrlRequest.Auth("basic", null, "a:b", "p", null, null, null, null)).validate())
                .extracting("field").isEqualTo("auth.username");
        assertThatThrownBy(() -> request(new FromUrlRequest.Auth("bearer", "a\nb", null, null, null, null, null, null)).validate())
                .extracting("field").isEqualTo("auth.token");
    }
}
