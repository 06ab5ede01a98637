package io.mediaplatform.callback.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator console at {@code /console} (ARCHITECTURE §17).
 *
 * @param ingestUrl ingest's API as the operator's browser reaches it ({@code CALLBACK_CONSOLE_INGEST_URL},
 *                  http://127.0.0.1:8080): the page calls it cross-origin for uploads, assets, sends, media, thumbnails
 *                  and inbox settings, so it is the one other origin of the page's {@code connect-src}; ingest must
 *                  list this service's origin in {@code INGEST_CORS_ALLOWED_ORIGINS}
 */
@ConfigurationProperties("callback.console")
public record ConsoleProperties(@DefaultValue("http://127.0.0.1:8080") String ingestUrl) {
}
