package io.mediaplatform.ingest.fallback.kafka;

import io.mediaplatform.ingest.fallback.core.TenantFallbacks;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.ingest.fallback.core.FallbackDecision;
import io.mediaplatform.ingest.fallback.core.FallbackPlan;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fallback plans from send commands, and follow-up commands from decisions. */
public final class FallbackCommands {

    private FallbackCommands() {
    }

    /** The plan of a command whose message has fallback channels left; empty otherwise. */
    public static Optional<FallbackPlan> planOf(SendMediaMessage command) {
        return planOf(command, new TenantFallbacks(Map.of()));
    }

    /**
     * Like {@link #planOf(SendMediaMessage)}; a client's message (not a follow-up) that names no fallback channels
     * takes its tenant's defaults.
     */
    public static Optional<FallbackPlan> planOf(SendMediaMessage command, TenantFallbacks defaults) {
        OutboundMessage message = command.getMessage();
        boolean first = (message.getFallbackOf() == null || message.getFallbackOf().isBlank()) && message.getAttempt() <= 1;
        List<String> named = message.getFallbackChannels().stream().map(Channel::name).toList();
        List<String> remaining = FallbackDecision.usable(command.getChannel().name(),
                named.isEmpty() && first ? defaults.forTenant(command.getTenantId()) : named, Channel.values().length);
        if (remaining.isEmpty() || message.getMessageId() == null || message.getMessageId().isBlank()) {
            return Optional.empty();
        }
        String root = message.getFallbackOf() == null || message.getFallbackOf().isBlank()
                ? message.getMessageId() : message.getFallbackOf();
        FallbackPlan.Send send = new FallbackPlan.Send(command.getConversationId(), command.getMediaId(),
                command.getMediaUrl(), command.getMediaContentType(), message.getFrom(), message.getTo(),
                message.getKind().name(), message.getCaption(), message.getFileName(), message.getExternalId(),
                message.getClientId(), message.getCallbackUrls());
        return Optional.of(new FallbackPlan(command.getTenantId(), message.getMessageId(), root,
                Math.max(1, message.getAttempt()), command.getChannel().name(), remaining, send));
    }

    /** The {@code message.send-requested.v1} command of a follow-up. */
    public static SendMediaMessage command(FallbackDecision.FollowUp followUp, Instant now) {
        FallbackPlan.Send send = followUp.send();
        OutboundMessage message = OutboundMessage.newBuilder()
                .setMessageId(followUp.messageId())
                .setFrom(send.from())
                .setTo(send.to())
                .setKind(MediaKind.valueOf(send.kind()))
                .setCaption(send.caption())
                .setFileName(send.fileName())
                .setExternalId(send.externalId())
                .setClientId(send.clientId())
                .setCallbackUrls(send.callbackUrls())
                .setFallbackChannels(followUp.remainingChannels().stream().map(Channel::valueOf).toList())
                .setFallbackOf(followUp.fallbackOf())
                .setAttempt(followUp.attempt())
                .build();
        return SendMediaMessage.newBuilder()
                .setEventId(followUp.eventId())
                .setOccurredAt(now)
                .setTenantId(followUp.tenantId())
                .setChannel(Channel.valueOf(followUp.channel()))
                .setConversationId(send.conversationId())
                .setMessage(message)
                .setMediaId(send.mediaId())
                .setMediaUrl(send.mediaUrl())
                .setMediaContentType(send.mediaContentType())
                .build();
    }
}
