package io.mediaplatform.validation.policy.yaml;

import io.mediaplatform.validation.policy.core.ChannelRules;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.KindRule;
import io.mediaplatform.validation.policy.core.MediaChannel;
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
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the media policy from YAML ({@code media-policy.yml}): {@code channels.<CHANNEL>.<KIND>} with
 * {@code types} (a list, nested lists from YAML aliases are flattened) and {@code max-size} ({@code 5MB}).
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

    /** Parses policy YAML; {@code source} names it in errors. */
    public static MediaPolicy parse(InputStream in, String source) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        Map<?, ?> channels = map(map(root, source, "the document").get("channels"), source, "channels");
        Map<MediaChannel, ChannelRules> byChannel = new EnumMap<>(MediaChannel.class);
        channels.forEach((channelName, kindsNode) -> {
            MediaChannel channel = enumValue(MediaChannel.class, channelName, source, "channel");
            Map<Kind, KindRule> kinds = new EnumMap<>(Kind.class);
            map(kindsNode, source, "channels." + channelName).forEach((kindName, ruleNode) -> {
                Kind kind = enumValue(Kind.class, kindName, source, "kind");
                String path = "channels." + channelName + "." + kindName;
                Map<?, ?> rule = map(ruleNode, source, path);
                Set<String> types = new LinkedHashSet<>();
                flatten(rule.get("types"), types, source, path + ".types");
                Object maxSize = rule.get("max-size");
                if (types.isEmpty() || maxSize == null) {
                    throw invalid(source, path + " needs types and max-size");
                }
                kinds.put(kind, new KindRule(types, DataSize.parse(maxSize.toString().replace(" ", "")).toBytes()));
            });
            byChannel.put(channel, new ChannelRules(kinds));
        });
        return new MediaPolicy(byChannel);
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
