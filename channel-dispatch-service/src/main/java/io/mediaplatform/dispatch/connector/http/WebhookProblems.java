package io.mediaplatform.dispatch.connector.http;

import io.mediaplatform.common.web.ProblemException;
import org.springframework.http.HttpStatus;

import java.time.Duration;

/** Problem answers shared by the provider webhook endpoints for their replay defence. */
public final class WebhookProblems {

    private WebhookProblems() {
    }

    /**
     * 503 with {@code Retry-After}: the same event is being taken by another request right now and may still fail,
     * so it is neither published twice nor acknowledged before it is on the topic; the provider sends it again.
     */
    public static ProblemException busy() {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                "The same status or message is being recorded right now; send it again later.").header("Retry-After", "1");
    }

    /** 401: the signed timestamp is too far from now (a replay of an old webhook, or a badly wrong clock). */
    public static ProblemException stale(String header, Duration tolerance) {
        return ProblemException.unauthorized("The signed " + header + " is more than " + tolerance.toSeconds()
                + " s away from now: refused as a possible replay");
    }
}
