package io.mediaplatform.callback.deletion.web;

import java.util.List;

import io.mediaplatform.callback.deletion.MessageDeletions;
import io.mediaplatform.callback.deletion.core.ContactErasure;
import io.mediaplatform.callback.deletion.core.MediaFate;
import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Deleting a message and erasing a contact (ARCHITECTURE §10), scope {@code messages:delete}. Another tenant's message is
 * answered like an unknown one (404); a contact's erasure only ever looks at the caller's tenant.
 */
@RestController
public class DeletionController {

    private final MessageDeletions deletions;

    public DeletionController(MessageDeletions deletions) {
        this.deletions = deletions;
    }

    /**
     * What deleting a message did.
     *
     * @param mediaDeleted whether its media is being deleted (false: it had none, or another live message names it)
     * @param mediaKept    whether its media is kept because another live message names it
     */
    public record MessageDeletion(String messageId, String mediaId, boolean mediaDeleted, boolean mediaKept,
                                  int webhookPayloadsDeleted, List<String> fallbackAttemptsDeleted) {
    }

    @DeleteMapping("/v1/messages/{messageId}")
    public MessageDeletion deleteMessage(AuthenticatedTenant tenant, @PathVariable String messageId) {
        tenant.require(AuthenticatedTenant.MESSAGES_DELETE);
        MessageDeletions.Outcome outcome = deletions.deleteMessage(tenant.tenantId(), messageId)
                .orElseThrow(() -> ProblemException.notFound("Message", messageId));
        MediaFate.Deletion deletion = outcome.deletions().stream()
                .filter(d -> d.message().messageId().equals(messageId)).findFirst().orElseThrow();
        List<String> attempts = outcome.deletions().stream().map(d -> d.message().messageId())
                .filter(id -> !id.equals(messageId)).toList();
        return new MessageDeletion(messageId, deletion.message().mediaId(), deletion.deletesMedia(),
                deletion.mediaStillReferenced(), outcome.webhookPayloadsDeleted(), attempts);
    }

    /**
     * Erases the contact's messages in both directions, their media (unless another live message names it), their
     * stored webhook payloads, and keeps an audit line without the address; 202 because the media go at ingest.
     */
    @DeleteMapping("/v1/contacts/{channel}/{address}")
    public ResponseEntity<MessageDeletions.ErasureSummary> eraseContact(AuthenticatedTenant tenant,
                                                                         @PathVariable String channel,
                                                                         @PathVariable String address) {
        tenant.require(AuthenticatedTenant.MESSAGES_DELETE);
        ContactErasure erasure;
        try {
            erasure = ContactErasure.of(channel, address);
        } catch (ContactErasure.Invalid e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(deletions.erase(tenant.tenantId(), erasure));
    }
}
