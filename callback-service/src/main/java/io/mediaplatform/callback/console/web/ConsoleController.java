package io.mediaplatform.callback.console.web;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The operator console at {@code /console}: a static, read-only page ({@code callback-static/console.html} and
 * {@code console.js}) that calls the status API with an API key the operator pastes in (kept in the browser's
 * sessionStorage). The page itself needs no key; the data does.
 */
@Controller
public class ConsoleController {

    private static final Resource PAGE = new ClassPathResource("callback-static/console.html");

    @GetMapping({"/console", "/console/"})
    public ResponseEntity<Resource> console() {
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", "default-src 'self'; connect-src 'self'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(PAGE);
    }
}
