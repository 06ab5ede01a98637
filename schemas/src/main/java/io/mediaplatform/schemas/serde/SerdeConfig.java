package io.mediaplatform.schemas.serde;

import io.mediaplatform.schemas.registry.SchemaRegistryClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Kafka client properties understood by {@link AvroSerializer} and {@link AvroDeserializer}. */
public final class SerdeConfig {

    /** Registry base URL (as Confluent's serdes name it). */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Optional {@code user:password} for the registry. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Whether the serializer registers the writer schema (default true); false means look it up only. */
    public static final String AUTO_REGISTER = "auto.register.schemas";

    /** Magic byte of the Confluent wire format. */
    public static final byte MAGIC = 0;

    private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private SerdeConfig() {
    }

    /** One cached client per registry URL and credentials, shared by every serializer of the JVM. */
    static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " must be set for the Avro serde");
        }
        Object userInfo = configs.get(BASIC_AUTH_USER_INFO);
        String key = url + "|" + (userInfo == null ? "" : userInfo);
        return CLIENTS.computeIfAbsent(key, k -> new SchemaRegistryClient(url.toString(), userInfo == null ? null : userInfo.toString()));
    }
}
