package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Firebase Cloud Messaging (HTTP v1) connector of the PUSH channel. Push has no delivery webhooks.
 *
 * @param baseUrl        FCM base URL ({@code FCM_BASE_URL}); the local stack points it at its simulator
 * @param projectId      Firebase project id ({@code FCM_PROJECT_ID}); blank: channel not configured
 * @param accessToken    OAuth 2.0 access token sent as Bearer ({@code FCM_ACCESS_TOKEN}); blank: channel not configured
 * @param title          the notification's title ({@code FCM_NOTIFICATION_TITLE}); its body is the caption
 * @param linkTtl        validity of the signed image link in the notification, which the device fetches when it shows
 *                       it, maybe much later ({@code PUSH_MEDIA_LINK_TTL})
 * @param rateLimit      messages per second ({@code FCM_RATE_LIMIT}); 0: no limit
 * @param connectTimeout TCP connect timeout ({@code FCM_CONNECT_TIMEOUT})
 * @param requestTimeout time for a whole answer ({@code FCM_REQUEST_TIMEOUT})
 */
@ConfigurationProperties("dispatch.fcm")
public record FcmProperties(
        @DefaultValue("https://fcm.googleapis.com") String baseUrl,
        String projectId,
        String accessToken,
        @DefaultValue("New message") String title,
        @DefaultValue("7d") Duration linkTtl,
        @DefaultValue("500") int rateLimit,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout) {

    /** Whether sends can be made. */
    public boolean sendConfigured() {
        return projectId != null && !projectId.isBlank() && accessToken != null && !accessToken.isBlank();
    }

    /** Without the token. */
    @Override
    public String toString() {
        return "FcmProperties[baseUrl=" + baseUrl + ", projectId=" + projectId + ", accessToken="
                + (accessToken == null || accessToken.isBlank() ? "<unset>" : "<set>") + ", title=" + title
                + ", linkTtl=" + linkTtl + ", rateLimit=" + rateLimit + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + "]";
    }
}
