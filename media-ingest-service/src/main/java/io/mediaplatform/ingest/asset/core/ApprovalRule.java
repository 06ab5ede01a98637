package io.mediaplatform.ingest.asset.core;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which tenants send approved assets only ({@code ASSETS_APPROVAL_TENANTS}): for them an outbound message naming an
 * asset, or the media of an asset, that is not approved is refused.
 */
public record ApprovalRule(Set<String> tenants) {

    public ApprovalRule {
        tenants = Set.copyOf(tenants);
    }

    /** From {@code "acme,globex"}. */
    public static ApprovalRule parse(String text) {
        return new ApprovalRule(text == null ? Set.of() : Arrays.stream(text.split("[,;]")).map(String::strip)
                .filter(t -> !t.isEmpty()).collect(Collectors.toSet()));
    }

    public boolean requiresApproval(String tenantId) {
        return tenants.contains(tenantId);
    }

    /** Whether the tenant may send the asset outbound. */
    public boolean allows(String tenantId, Asset asset) {
        return asset.approved() || !requiresApproval(tenantId);
    }
}
