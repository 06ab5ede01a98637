package io.mediaplatform.callback.console.web;

import io.mediaplatform.callback.config.ConsoleProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import java.net.URI;
import java.util.Locale;

/**
 * The operator console at {@code /console} (ARCHITECTURE §17): static pages ({@code callback-static/console.html},
 * {@code console.js}, {@code console.css}) that call this service's API same-origin and ingest's API cross-origin,
 * with an API key the operator types in (kept in the browser tab's sessionStorage). The page itself needs no key; the
 * data does. {@code /console/config.json} tells the page where ingest is; the page's Content-Security-Policy allows
 * scripts and styles of this origin only (none inline), connections to this origin and ingest's, and images from this
 * origin and {@code blob:} (thumbnails are fetched with the key and shown as blob URLs).
 */
@Controller
public class ConsoleController {

    private static final Resource PAGE = new ClassPathResource("callback-static/console.html");

    /** What the page reads at start. */
    public record ConsoleConfig(String ingestUrl) {
    }

    private final String ingestUrl;
    private final String policy;

    public ConsoleController(ConsoleProperties properties) {
        this.ingestUrl = stripSlash(properties.ingestUrl());
        this.policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self' "
                + origin(ingestUrl) + "; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";
    }

    @GetMapping({"/console", "/console/"})
    public ResponseEntity<Resource> console() {
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", policy)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(PAGE);
    }

    @GetMapping(value = "/console/config.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ConsoleConfig> config() {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noCache())
                .header("X-Content-Type-Options", "nosniff")
                .body(new ConsoleConfig(ingestUrl));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The origin ({@code scheme://host[:port]}) of ingest's URL; a setting that is no http(s) URL stops the start. */
    static String origin(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("CALLBACK_CONSOLE_INGEST_URL must be an http(s) URL, not '" + url + "'");
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
