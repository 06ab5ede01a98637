package io.mediaplatform.common.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat's error report for errors the container raises itself, before the application sees the request (an
 * encoded {@code /} in a path, a header over the size limit, a malformed request line, ...): RFC 9457 problem JSON
 * like every other error of the platform, instead of Tomcat's HTML page. It says only what status it is and a
 * fixed sentence for it — never Tomcat's message, a stack trace or the server's version. Errors the application
 * answers itself (its bodies are already written) pass through untouched.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String body = problem(status);
        try {
            response.setContentType(ProblemHandler.PROBLEM_JSON.toString());
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response was committed meanwhile: nothing more to tell
        }
    }

    /** The problem document for a container-raised status. */
    static String problem(int status) {
        String title = switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 408 -> "Request timeout";
            case 413 -> "Content too large";
            case 414 -> "URI too long";
            case 431 -> "Request header fields too large";
            case 501 -> "Not implemented";
            case 503 -> "Service unavailable";
            default -> status < 500 ? "Client error" : "Server error";
        };
        String detail = switch (status) {
            case 400 -> "The request could not be read: its line, path (an encoded '/' or '\\\\' is refused) or headers "
                    + "are malformed or too large.";
            case 413 -> "The request body is larger than the server takes.";
            case 414, 431 -> "The request line or its headers are larger than the server takes.";
            default -> status < 500 ? "The request was refused by the server before it reached the application."
                    : "The request could not be completed; it was logged.";
        };
        String slug = title.toLowerCase().replace(' ', '-');
        return "{\"type\":\"/problems/" + slug + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
    }
}
