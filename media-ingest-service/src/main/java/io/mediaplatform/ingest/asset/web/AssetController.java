package io.mediaplatform.ingest.asset.web;

import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.KeysetCursor;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.ingest.asset.core.Asset;
import io.mediaplatform.ingest.asset.core.AssetCatalog;
import io.mediaplatform.ingest.asset.core.AssetChange;
import io.mediaplatform.ingest.asset.core.AssetQuery;
import io.mediaplatform.ingest.asset.storage.AssetLibrary;
import io.mediaplatform.ingest.config.IngestProperties;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.core.ValidationOutcome;
import io.mediaplatform.ingest.media.fetch.MediaFetcher;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.ingest.media.web.FromUrlController;
import io.mediaplatform.ingest.media.web.UploadController;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The asset library (ARCHITECTURE §14): {@code POST /v1/assets} (a {@code multipart/form-data} upload with parts
 * {@code file}, {@code name}, {@code tags}, {@code approved}; or JSON {@code {"sourceUrl", "name", "tags", "approved"}}
 * fetched through the guarded URL fetch), {@code GET /v1/assets?q=&tag=&kind=&limit=&cursor=},
 * {@code GET/PATCH/DELETE /v1/assets/{id}}. The same bytes again answer 200 with the asset already stored; a new one is
 * a 201. Approving an asset takes the {@code settings:admin} scope.
 */
@RestController
public class AssetController {

    private static final int MAX_FIELD_BYTES = 8 * 1024;
    private static final List<String> FIELDS = List.of("name", "tags", "approved");

    private final AssetLibrary library;
    private final AssetCatalog catalog;
    private final MediaFetcher fetcher;
    private final IngestProperties properties;
    private final JsonMapper json;

    public AssetController(AssetLibrary library, AssetCatalog catalog, MediaFetcher fetcher, IngestProperties properties,
                           JsonMapper json) {
        this.library = library;
        this.catalog = catalog;
        this.fetcher = fetcher;
        this.properties = properties;
        this.json = json;
    }

    /** An asset as the API shows it. */
    public record AssetView(String assetId, String mediaId, String name, List<String> tags, String kind,
                            String contentType, long size, String sha256, boolean approved, Instant createdAt,
                            Instant updatedAt, ValidationOutcome validation, String contentUrl, Boolean alreadyStored) {

        static AssetView of(AssetLibrary.Viewed viewed, Boolean alreadyStored) {
            Asset a = viewed.asset();
            return new AssetView(a.assetId(), a.mediaId(), a.name(), a.tags(), a.kind(), a.contentType(), a.size(),
                    a.sha256(), a.approved(), a.createdAt(), a.updatedAt(), viewed.validation(),
                    "/v1/media/" + a.mediaId() + "/content", alreadyStored);
        }
    }

    /** One page of the library. */
    public record AssetPage(List<AssetView> items, String nextCursor) {
    }

    /** The JSON of an asset from a URL. */
    public record FromUrl(String sourceUrl, String mimeType, String fileName, String name, List<String> tags,
                          Boolean approved) {
    }

    /** The JSON of a change. */
    public record Change(String name, List<String> tags, Boolean approved) {
    }

    @PostMapping(path = "/v1/assets", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<AssetView> upload(AuthenticatedTenant tenant, HttpServletRequest request) {
        tenant.require(AuthenticatedTenant.MEDIA_WRITE);
        Map<String, String> fields = new HashMap<>();
        MediaStore.Staged staged = null;
        String fileName = null;
        String type = null;
        try {
            FileItemInputIterator items = new JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory>()
                    .getItemIterator(request);
            while (items.hasNext()) {
                FileItemInput item = items.next();
                try (InputStream in = item.getInputStream()) {
                    if ("file".equals(item.getFieldName()) && staged == null) {
                        fileName = item.getName();
                        type = UploadController.declaredType(item.getContentType());
                        staged = library.stage(tenant.tenantId(), in, type, properties.maxUploadSize().toBytes());
                    } else if (FIELDS.contains(item.getFieldName())) {
                        byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
                        if (bytes.length > MAX_FIELD_BYTES) {
                            throw new InvalidInputException(item.getFieldName(), item.getFieldName() + " is too long");
                        }
                        fields.put(item.getFieldName(), new String(bytes, StandardCharsets.UTF_8));
                    } else {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                }
            }
            if (staged == null) {
                throw new InvalidInputException("file", "The part named file is required");
            }
            AssetChange change = checked(tenant, () -> AssetChange.parse(fields.get("name"), fields.get("tags"),
                    fields.get("approved")));
            MediaStore.Staged file = staged;
            String name = fileName;
            String declared = type;
            staged = null;
            return answer(checked(tenant, () -> library.add(file, name, declared, change)));
        } catch (IOException | UncheckedIOException e) {
            throw ProblemException.badRequest("The multipart body could not be read: it is malformed or ended early");
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        } finally {
            if (staged != null) {
                library.discard(staged);
            }
        }
    }

    @PostMapping(path = "/v1/assets", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<AssetView> fromUrl(AuthenticatedTenant tenant, @RequestBody String body) {
        tenant.require(AuthenticatedTenant.MEDIA_WRITE);
        FromUrl request = read(body, FromUrl.class);
        if (request.sourceUrl() == null || request.sourceUrl().isBlank()) {
            throw ProblemException.badRequest("sourceUrl is required (or upload the file as multipart/form-data)")
                    .with("field", "sourceUrl");
        }
        AssetChange change = checked(tenant, () -> AssetChange.of(request.name(), request.tags(), request.approved()));
        MediaFetcher.Context context = new MediaFetcher.Context(tenant.tenantId(), AssetLibrary.CONVERSATION,
                AssetLibrary.CHANNEL, "OUTBOUND", null);
        return switch (fetcher.fetch(context, request.sourceUrl().strip(), request.mimeType(), request.fileName())) {
            case MediaFetcher.Fetched fetched -> answer(library.addStored(fetched.media(), change));
            case MediaFetcher.Failed failed -> throw FromUrlController.problem(failed);
        };
    }

    @GetMapping("/v1/assets")
    public AssetPage search(AuthenticatedTenant tenant, @RequestParam(required = false) String q,
                            @RequestParam(required = false) String tag, @RequestParam(required = false) String kind,
                            @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        tenant.require(AuthenticatedTenant.MEDIA_READ);
        KeysetCursor after = KeysetCursor.decode(cursor);
        int size = KeysetCursor.limit(limit, AssetQuery.DEFAULT_LIMIT, AssetQuery.MAX_LIMIT);
        AssetQuery query = checked(tenant, () -> AssetQuery.parse(q, tag, kind, size,
                after == null ? null : new AssetQuery.Cursor(after.at(), after.id())));
        List<Asset> rows = catalog.search(tenant.tenantId(), query);
        List<Asset> page = rows.size() > query.limit() ? rows.subList(0, query.limit()) : rows;
        String next = rows.size() > query.limit()
                ? new KeysetCursor(page.getLast().createdAt(), page.getLast().assetId()).encode() : null;
        return new AssetPage(library.views(page).stream().map(v -> AssetView.of(v, null)).toList(), next);
    }

    @GetMapping("/v1/assets/{id}")
    public AssetView get(AuthenticatedTenant tenant, @PathVariable String id) {
        tenant.require(AuthenticatedTenant.MEDIA_READ);
        return AssetView.of(library.find(tenant.tenantId(), id).orElseThrow(() -> ProblemException.notFound("Asset", id)),
                null);
    }

    @PatchMapping(path = "/v1/assets/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public AssetView change(AuthenticatedTenant tenant, @PathVariable String id, @RequestBody String body) {
        tenant.require(AuthenticatedTenant.MEDIA_WRITE);
        Change request = read(body, Change.class);
        AssetChange change = checked(tenant, () -> AssetChange.of(request.name(), request.tags(), request.approved()));
        return AssetView.of(library.change(tenant.tenantId(), id, change)
                .orElseThrow(() -> ProblemException.notFound("Asset", id)), null);
    }

    @DeleteMapping("/v1/assets/{id}")
    public ResponseEntity<Void> delete(AuthenticatedTenant tenant, @PathVariable String id) {
        tenant.require(AuthenticatedTenant.MEDIA_WRITE);
        if (!library.delete(tenant.tenantId(), id)) {
            throw ProblemException.notFound("Asset", id);
        }
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<AssetView> answer(AssetLibrary.Added added) {
        AssetView view = AssetView.of(added.asset(), !added.created());
        return added.created()
                ? ResponseEntity.created(URI.create("/v1/assets/" + view.assetId())).body(view)
                : ResponseEntity.status(HttpStatus.OK).body(view);
    }

    private <T> T read(String body, Class<T> type) {
        try {
            T value = body == null || body.isBlank() ? null : json.readValue(body, type);
            if (value == null) {
                throw ProblemException.badRequest("The body must be a JSON object");
            }
            return value;
        } catch (JacksonException e) {
            throw ProblemException.badRequest("The body does not match the asset schema: " + e.getOriginalMessage());
        }
    }

    /** Runs a check of client input: its InvalidInputException is a 400 naming the field; approving takes an admin. */
    private static <T> T checked(AuthenticatedTenant tenant, java.util.function.Supplier<T> check) {
        T value;
        try {
            value = check.get();
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        }
        if (value instanceof AssetChange change && Boolean.TRUE.equals(change.approved())) {
            tenant.require(AuthenticatedTenant.SETTINGS_ADMIN);
        }
        return value;
    }
}
