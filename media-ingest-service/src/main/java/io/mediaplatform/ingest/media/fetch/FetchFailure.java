package io.mediaplatform.ingest.media.fetch;

/** Why media could not be fetched from a URL; the edge maps each to an HTTP status. */
public enum FetchFailure {
    /** The URL (or token URL) is refused by the guard: scheme, non-public address, credentials in the URL. */
    URL_REFUSED,
    /** The source answered a redirect; redirects are never followed. */
    REDIRECT,
    /** The source answered a non-2xx status. */
    SOURCE_STATUS,
    /** The source could not be reached or broke the protocol. */
    CONNECTION,
    /** Connect, read or total timeout. */
    TIMEOUT,
    /** Larger than the ingest limit. */
    TOO_LARGE,
    /** The source answered no bytes. */
    EMPTY,
    /** No OAuth2 token could be obtained. */
    CREDENTIALS
}
