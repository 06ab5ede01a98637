package io.mediaplatform.validation.policy.yaml;

import io.mediaplatform.common.core.TenantSettings;
import io.mediaplatform.validation.policy.core.AutoFit;
import io.mediaplatform.validation.policy.core.ChannelRules;
import io.mediaplatform.validation.policy.core.CodecRule;
import io.mediaplatform.validation.policy.core.FitRule;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.KindRule;
import io.mediaplatform.validation.policy.core.MediaChannel;
import io.mediaplatform.validation.policy.core.MediaDirection;
import io.mediaplatform.validation.policy.core.MediaPolicy;
import io.mediaplatform.validation.policy.core.MediaTypes;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the media policy from YAML ({@code media-policy.yml}): {@code channels.<CHANNEL>.<KIND>} with
 * {@code types} (a list, nested lists from YAML aliases are flattened), {@code max-size} ({@code 5MB}), optional
 * {@code animated-max-size} (animated stickers) and optional {@code codecs: {video: [H.264], audio: [AAC]}}
 * (ISO base media files), optional {@code auto-fit: off|images|all} and {@code strip-location: true|false} (ARCHITECTURE §5;
 * unset ones take the service defaults). An optional {@code tenants.<tenantId>.<CHANNEL>.<KIND>} section overrides rules for
 * one tenant; fields it leaves out are taken from the channel default. A kind may carry {@code inbound:} and
 * {@code outbound:} sub-rules (same fields, missing ones from the kind) for media going one way only; a tenant
 * override keeps the default's direction sub-rules unless it gives its own.
 * Unknown channels, kinds or missing fields fail at startup with the file named.
 */
public final class YamlMediaPolicyLoader {

    private YamlMediaPolicyLoader() {
    }

    /** Loads the policy from a Spring resource ({@code classpath:media-policy.yml}, {@code file:/etc/...}). */
    public static MediaPolicy load(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return parse(in, resource.getDescription());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the media policy " + resource.getDescription(), e);
        }
    }

    /**
     * Loads the policy and the named profiles ({@code media-profiles.yml}: {@code profiles.<name>.<KIND>} with the
     * same rule fields, {@code types} and {@code max-size} required: a profile is a product's whole table), and gives
     * each tenant of {@code tenantProfiles} its profile (which must be defined).
     */
    public static MediaPolicy load(Resource policy, Resource profiles, Map<String, String> tenantProfiles) {
        MediaPolicy channels = load(policy);
        Map<String, ChannelRules> named = new LinkedHashMap<>();
        try (InputStream in = profiles.getInputStream()) {
            String source = profiles.getDescription();
            Map<?, ?> document = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in), source, "the document");
            map(document.get("profiles"), source, "profiles").forEach((name, kindsNode) -> {
                String profile = String.valueOf(name);
                if (!PROFILE_NAME.matcher(profile).matches()) {
                    throw invalid(source, "profile name " + profile + " must be lower-case letters, digits and dashes");
                }
                named.put(profile, kinds(map(kindsNode, source, "profiles." + profile), null, source, "profiles." + profile));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the media profiles " + profiles.getDescription(), e);
        }
        return new MediaPolicy(channels.channels(), channels.tenants(), named, tenantProfiles);
    }

    private static final TenantSettings TENANT_PROFILES =
            new TenantSettings("MEDIA_TENANT_PROFILES", '=', "<profile>", true);

    /** {@code tenant=profile} pairs separated by {@code ;} or {@code ,} (e.g. {@code MEDIA_TENANT_PROFILES}). */
    public static Map<String, String> tenantProfiles(String pairs) {
        return TENANT_PROFILES.parse(pairs);
    }

    private static final java.util.regex.Pattern PROFILE_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** Parses policy YAML; {@code source} names it in errors. */
    public static MediaPolicy parse(InputStream in, String source) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        Map<?, ?> document = map(root, source, "the document");
        Map<MediaChannel, ChannelRules> byChannel = channels(map(document.get("channels"), source, "channels"),
                Map.of(), source, "channels");
        Map<String, Map<MediaChannel, ChannelRules>> tenants = new LinkedHashMap<>();
        if (document.get("tenants") != null) {
            map(document.get("tenants"), source, "tenants").forEach((tenantId, channelsNode) -> tenants.put(
                    String.valueOf(tenantId),
                    channels(map(channelsNode, source, "tenants." + tenantId), byChannel, source, "tenants." + tenantId)));
        }
        return new MediaPolicy(byChannel, tenants);
    }

    /** Channel rules; with {@code defaults}, a kind's missing fields are taken from the default rule. */
    private static Map<MediaChannel, ChannelRules> channels(Map<?, ?> channels, Map<MediaChannel, ChannelRules> defaults,
                                                            String source, String prefix) {
        Map<MediaChannel, ChannelRules> byChannel = new EnumMap<>(MediaChannel.class);
        channels.forEach((channelName, kindsNode) -> {
            MediaChannel channel = enumValue(MediaChannel.class, channelName, source, "channel");
            byChannel.put(channel, kinds(map(kindsNode, source, prefix + "." + channelName), defaults.get(channel),
                    source, prefix + "." + channelName));
        });
        return byChannel;
    }

    /** Rules per kind; with {@code defaults}, a kind's missing fields are taken from its default rule. */
    private static ChannelRules kinds(Map<?, ?> kindsNode, ChannelRules defaults, String source, String prefix) {
        Map<Kind, KindRule> kinds = new EnumMap<>(Kind.class);
        kindsNode.forEach((kindName, ruleNode) -> {
            Kind kind = enumValue(Kind.class, kindName, source, "kind");
            String path = prefix + "." + kindName;
            KindRule base = defaults != null ? defaults.rule(kind).orElse(null) : null;
            kinds.put(kind, kindRule(map(ruleNode, source, path), base, source, path));
        });
        return new ChannelRules(kinds);
    }

    private static KindRule kindRule(Map<?, ?> rule, KindRule base, String source, String path) {
        Set<String> types = new LinkedHashSet<>();
        if (rule.get("types") != null) {
            flatten(rule.get("types"), types, source, path + ".types");
        } else if (base != null) {
            types.addAll(base.contentTypes());
        }
        Object maxSize = rule.get("max-size");
        if (types.isEmpty() || (maxSize == null && base == null)) {
            throw invalid(source, path + " needs types and max-size");
        }
        long maxBytes = maxSize == null ? base.maxBytes() : bytes(maxSize);
        Object animated = rule.get("animated-max-size");
        long animatedBytes = animated == null ? (base == null ? 0 : base.animatedMaxBytes()) : bytes(animated);
        CodecRule codecs = base == null ? CodecRule.ANY : base.codecs();
        if (rule.get("codecs") != null) {
            Map<?, ?> codecNode = map(rule.get("codecs"), source, path + ".codecs");
            codecs = new CodecRule(names(codecNode.get("video"), source, path + ".codecs.video"),
                    names(codecNode.get("audio"), source, path + ".codecs.audio"));
        }
        FitRule fit = new FitRule(rule.get("auto-fit") == null ? null : autoFit(rule.get("auto-fit"), source, path),
                rule.get("strip-location") == null ? null : flag(rule.get("strip-location"), source, path + ".strip-location"))
                .over(base == null ? null : base.fit());
        KindRule merged = new KindRule(types, maxBytes, animatedBytes, codecs, Map.of(), fit);
        Map<MediaDirection, KindRule> directions = new EnumMap<>(MediaDirection.class);
        for (MediaDirection direction : MediaDirection.values()) {
            String name = direction.name().toLowerCase(Locale.ROOT);
            KindRule baseVariant = base == null ? null : base.directions().get(direction);
            if (rule.get(name) != null) {
                directions.put(direction, kindRule(map(rule.get(name), source, path + "." + name), merged, source,
                        path + "." + name));
            } else if (baseVariant != null) {
                directions.put(direction, baseVariant);
            }
        }
        return new KindRule(types, maxBytes, animatedBytes, codecs, directions, fit);
    }

    private static AutoFit autoFit(Object value, String source, String path) {
        try {
            return AutoFit.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid(source, path + ".auto-fit: " + e.getMessage());
        }
    }

    private static boolean flag(Object value, String source, String path) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw invalid(source, path + " must be true or false");
    }

    private static long bytes(Object size) {
        return DataSize.parse(size.toString().replace(" ", "")).toBytes();
    }

    private static Set<String> names(Object node, String source, String path) {
        if (node == null) {
            return Set.of();
        }
        if (!(node instanceof Collection<?> list)) {
            throw invalid(source, path + " must be a list of codec names");
        }
        Set<String> names = new LinkedHashSet<>();
        list.forEach(item -> names.add(String.valueOf(item)));
        return names;
    }

    private static void flatten(Object node, Set<String> into, String source, String path) {
        if (node instanceof Collection<?> list) {
            list.forEach(item -> flatten(item, into, source, path));
        } else if (node instanceof String type && MediaTypes.normalise(type) != null) {
            into.add(MediaTypes.normalise(type));
        } else {
            throw invalid(source, path + " must be a list of content types");
        }
    }

    private static Map<?, ?> map(Object node, String source, String path) {
        if (node instanceof Map<?, ?> map) {
            return map;
        }
        throw invalid(source, path + " must be a mapping");
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Object name, String source, String what) {
        try {
            return Enum.valueOf(type, String.valueOf(name).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(source, "unknown " + what + " " + name);
        }
    }

    private static IllegalStateException invalid(String source, String problem) {
        return new IllegalStateException("Invalid media policy " + source + ": " + problem);
    }
}
