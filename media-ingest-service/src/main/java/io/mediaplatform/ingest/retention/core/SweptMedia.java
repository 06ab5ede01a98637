package io.mediaplatform.ingest.retention.core;

/** Told of each media the retention sweep deleted from storage, so that what is kept of it elsewhere goes too. */
@FunctionalInterface
public interface SweptMedia {

    /** The tenant's media was deleted from storage: forget its name and what this instance keeps of it. */
    void deleted(String tenantId, String mediaId);
}
