package io.mediaplatform.ingest.retention.core;

import java.util.Set;

/** Media kept whatever its age: the tenant's asset library (ARCHITECTURE §14). */
@FunctionalInterface
public interface RetentionExemptions {

    RetentionExemptions NONE = tenantId -> Set.of();

    /** The media ids of the tenant that retention keeps. */
    Set<String> mediaIdsOf(String tenantId);
}
