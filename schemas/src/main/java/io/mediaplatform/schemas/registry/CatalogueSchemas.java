package io.mediaplatform.schemas.registry;

import io.mediaplatform.schemas.topics.Topic;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.avro.specific.SpecificData;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers the value schema of every topic of the catalogue under its subject ({@code <topic>-value}, and the same
 * schema under its dead-letter twin's {@code <topic>.dlt-value}), so that the
 * registry holds them before any traffic: an upstream producer running with {@code auto.register.schemas=false} (the
 * usual production setting) can then write to any topic from the start. Registering an unchanged schema again is a
 * no-op of the registry, so provisioning may run at every start. Run it from the command line with
 * {@code java -cp <classpath> io.mediaplatform.schemas.registry.CatalogueSchemas <registry-url> [user:password]}.
 */
public final class CatalogueSchemas {

    private CatalogueSchemas() {
    }

    /** Registers every catalogue value schema; returns the schema id by subject. */
    public static Map<String, Integer> registerAll(SchemaRegistryClient registry) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Topic<?> topic : Topics.ALL) {
            var schema = SpecificData.get().getSchema(topic.valueType());
            ids.put(topic.valueSubject(), registry.register(topic.valueSubject(), schema));
            // A dead-letter copy written by a service (not the byte-for-byte recoverer) is serialized for its twin.
            String dltSubject = topic.dlt() + "-value";
            ids.put(dltSubject, registry.register(dltSubject, schema));
        }
        return ids;
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: CatalogueSchemas <schema-registry-url> [user:password]");
            System.exit(2);
        }
        Map<String, Integer> ids = registerAll(new SchemaRegistryClient(args[0], args.length > 1 ? args[1] : null));
        ids.forEach((subject, id) -> System.out.println(subject + " " + id));
    }
}
