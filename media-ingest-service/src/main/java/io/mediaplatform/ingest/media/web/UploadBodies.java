package io.mediaplatform.ingest.media.web;

import io.mediaplatform.common.storage.ObjectTooLargeException;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.ingest.config.IngestProperties;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.idempotency.web.IdempotentAnswers;
import io.mediaplatform.ingest.media.core.FileNames;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.UploadFields;
import io.mediaplatform.ingest.media.storage.MediaStore;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of {@code POST /v1/media} as {@link UploadController} takes it: a {@code multipart/form-data} body
 * part by part (the file streamed to a staging key as it arrives, the text parts bounded and checked before the file
 * when they come first) or a raw body with its fields in the query and its name in {@code Content-Disposition}; what
 * it staged is discarded again when the body turns out bad.
 */
final class UploadBodies {

    private static final int MAX_FIELD_BYTES = 8 * 1024;
    private static final List<String> FIELD_NAMES = List.of(UploadFields.CONVERSATION_ID, UploadFields.CHANNEL,
            UploadFields.DIRECTION, UploadFields.INBOX_ID, UploadFields.FILE_NAME);

    private final MediaStore store;
    private final IngestProperties properties;
    private final Clock clock;

    UploadBodies(MediaStore store, IngestProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** An upload's body, staged, and what it says of the media. */
    record Read(MediaStore.Staged staged, MediaInfo draft) {
        /** Of the content and every field, so that another file or other fields under one key is a conflict. */
        String requestHash() {
            return IdempotentAnswers.sha256(String.join("\n", "upload", staged.sha256(),
                    String.valueOf(draft.conversationId()), draft.channel(), draft.direction(), String.valueOf(draft.inboxId()),
                    String.valueOf(draft.originalFileName()), draft.contentType()));
        }
    }

    /** The body read and its file staged as {@code mediaId}; a bad field or body is a 400 naming it. */
    Read read(String tenantId, HttpServletRequest request, String mediaId) {
        long max = properties.maxUploadSize().toBytes();
        try {
            return JakartaServletFileUpload.isMultipartContent(request)
                    ? multipart(tenantId, request, max, mediaId)
                    : raw(tenantId, request, max, mediaId);
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        }
    }

    private Read multipart(String tenantId, HttpServletRequest request, long max, String mediaId) {
        Map<String, String> fields = new LinkedHashMap<>();
        MediaStore.Staged staged = null;
        String partType = null;
        String partName = null;
        try {
            JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload = new JakartaServletFileUpload<>();
            upload.setHeaderCharset(StandardCharsets.UTF_8);
            FileItemInputIterator items = upload.getItemIterator(request);
            while (items.hasNext()) {
                FileItemInput item = items.next();
                String name = item.getFieldName();
                if (UploadController.FILE_PART.equals(name)) {
                    if (staged != null) {
                        throw new InvalidInputException(UploadController.FILE_PART, "Send exactly one part named file");
                    }
                    if (UploadFields.complete(fields)) {
                        UploadFields.parse(fields);
                    }
                    partType = UploadController.declaredType(item.getContentType());
                    partName = item.getName();
                    try (InputStream in = item.getInputStream()) {
                        // the request's length bounds the file's: the upload memory reserves no more than that
                        staged = store.stage(tenantId, mediaId, in, partType, max, request.getContentLengthLong());
                    }
                } else if (FIELD_NAMES.contains(name)) {
                    fields.put(name, readField(name, item));
                } else {
                    try (InputStream in = item.getInputStream()) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
            }
            if (staged == null) {
                throw new InvalidInputException(UploadController.FILE_PART, "The part named file is required");
            }
            UploadFields parsed = UploadFields.parse(fields);
            return new Read(staged, draft(tenantId, mediaId, parsed, partName, partType));
        } catch (IOException | UncheckedIOException e) {
            discardQuietly(staged);
            throw ProblemException.badRequest("The multipart body could not be read: it is malformed or ended early");
        } catch (RuntimeException e) {
            discardQuietly(staged);
            throw e;
        }
    }

    private Read raw(String tenantId, HttpServletRequest request, long max, String mediaId) {
        if (request.getContentType() == null) {
            throw new InvalidInputException("Content-Type", "Send the media's Content-Type, or a multipart/form-data body");
        }
        if (MediaType.APPLICATION_JSON_VALUE.equals(UploadController.declaredType(request.getContentType()))) {
            throw new ProblemException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Unsupported media type", "POST /v1/media takes multipart/form-data or the media bytes; "
                    + "to fetch media from a URL, POST the JSON to /v1/media/from-url");
        }
        if (request.getContentLengthLong() > max) {
            throw new ObjectTooLargeException(max);
        }
        Map<String, String> fields = queryFields(request.getQueryString());
        String dispositionName = dispositionFileName(request.getHeader(HttpHeaders.CONTENT_DISPOSITION));
        UploadFields parsed = UploadFields.parse(fields);
        String type = UploadController.declaredType(request.getContentType());
        MediaStore.Staged staged = null;
        try (InputStream in = request.getInputStream()) {
            staged = store.stage(tenantId, mediaId, in, type, max, request.getContentLengthLong());
            return new Read(staged, draft(tenantId, mediaId, parsed, dispositionName, type));
        } catch (IOException | UncheckedIOException e) {
            discardQuietly(staged);
            throw ProblemException.badRequest("The request body could not be read: it ended early");
        } catch (RuntimeException e) {
            discardQuietly(staged);
            throw e;
        }
    }

    private MediaInfo draft(String tenantId, String mediaId, UploadFields fields, String partName, String type) {
        String original = fields.fileName() != null ? fields.fileName() : partName;
        return new MediaInfo(mediaId, tenantId, fields.conversationId(), fields.channel().name(), fields.direction().name(),
                fields.inboxId(), FileNames.sanitize(original), original, type, 0, null, null,
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    void discardQuietly(MediaStore.Staged staged) {
        if (staged != null) {
            try {
                store.discard(staged);
            } catch (RuntimeException ignored) {
                // a leftover staging object is harmless; a bucket lifecycle rule on tenants/*/staging/ sweeps it
            }
        }
    }

    private static String readField(String name, FileItemInput item) throws IOException {
        try (InputStream in = item.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
            if (bytes.length > MAX_FIELD_BYTES) {
                throw new InvalidInputException(name, name + " is longer than " + MAX_FIELD_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Query parameters read from the raw query string (never through getParameter, which could read the body). */
    private static Map<String, String> queryFields(String query) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (query == null) {
            return fields;
        }
        UriComponentsBuilder.newInstance().query(query).build().getQueryParams().forEach((name, values) -> {
            if (FIELD_NAMES.contains(name) && !values.isEmpty() && values.getFirst() != null) {
                fields.put(name, URLDecoder.decode(values.getFirst(), StandardCharsets.UTF_8));
            }
        });
        return fields;
    }

    private static String dispositionFileName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return ContentDisposition.parse(header).getFilename();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(HttpHeaders.CONTENT_DISPOSITION,
                    "Content-Disposition must look like: attachment; filename=\"photo.jpg\"");
        }
    }
}
