package io.mediaplatform.common.http;

import java.time.Duration;

/**
 * The guard on client webhook URLs (callbacks given with a message, tenant webhook endpoints). Same checks as for
 * upload-from-URL ({@link GuardedHttpClient#check}: numeric host spellings normalised, every resolved address public
 * unless allow-listed) but its own allow-list, {@code WEBHOOK_ALLOW_HOSTS} (which defaults to
 * {@code OUTBOUND_ALLOW_HOSTS}), so a deployment can let webhooks reach an internal receiver without opening
 * upload-from-URL to it.
 */
public final class WebhookUrlGuard {

    private final GuardedHttpClient client;

    public WebhookUrlGuard(UrlGuard guard, Duration connectTimeout, Duration readTimeout) {
        this.client = new GuardedHttpClient(guard, connectTimeout, readTimeout);
    }

    /**
     * Checks a webhook URL.
     *
     * @throws BlockedUrlException when it is not allowed
     */
    public void check(String url) {
        client.check(url);
    }
}
