package dev.recall.sample.load;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.core.util.Separators.Spacing;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link LoadResult} to and from JSON, with Jackson.
 *
 * <p>The nested records are bound from their components, so a field added to one of them is saved and
 * read back without touching this class. Doubles are written as the shortest text that parses back to the
 * same double and read from their text, so a round trip is exact; a NaN, which no figure should be, is
 * the string {@code "NaN"}. Durations and instants are ISO-8601 text; a mix and a set of targets are the
 * text their {@code parse} methods read (one target as its plain URI, so results saved before there could
 * be several still read). A few derived figures ({@code requestsPerSecond}, {@code errorRate}, ...) are
 * written for readers of the file and ignored when reading.
 *
 * <p>The layout is one top-level field per line and each record on one line (a list of records one per
 * line), so that two result files compare well in a diff. Stateless: the mapper and writers are
 * thread-safe once built.
 */
final class ResultJson {

    static final String FORMAT = "recall-load-result/1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("recall-load-text-forms")
                    .addSerializer(Mix.class, ToStringSerializer.instance)
                    .addDeserializer(Mix.class, fromText(Mix.class, Mix::parse))
                    .addSerializer(Targets.class, ToStringSerializer.instance)
                    .addDeserializer(Targets.class, fromText(Targets.class, Targets::parse)))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // A file written by a later version, with more figures in a record, still reads.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Separators SPACED = Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    /** The document: each top-level field, and each item of a top-level list, on a line of its own. */
    private static final DefaultPrettyPrinter LINES = new DefaultPrettyPrinter(SPACED)
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    /** A record within it: on one line. */
    private static final ObjectWriter ONE_LINE = MAPPER.writer(new DefaultPrettyPrinter(SPACED
            .withObjectEntrySpacing(Spacing.AFTER)
            .withArrayValueSpacing(Spacing.AFTER))
            .withObjectIndenter(null)
            .withArrayIndenter(null));

    private ResultJson() {
    }

    static String write(LoadResult r) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            // A printer counts its nesting as it goes: each document gets its own (a writer would do the same).
            g.setPrettyPrinter(LINES.createInstance());
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("label", r.label());
            g.writeObjectField("started", r.started());
            record(g, "spec", r.spec());
            g.writeNumberField("measuredSeconds", r.measuredSeconds());
            g.writeNumberField("completedInWindow", r.completedInWindow());
            g.writeNumberField("requestsPerSecond", r.requestsPerSecond());
            g.writeNumberField("errorRate", r.counts().errorRate());
            g.writeNumberField("apdexScore", r.apdex().score());
            g.writeNumberField("peakResponseTimeMs", r.peakResponseTimeMs());
            record(g, "counts", r.counts());
            record(g, "responseTimes", r.responseTimes());
            record(g, "latency", r.latency());
            g.writeNumberField("bytesOut", r.bytesOut());
            g.writeNumberField("bytesIn", r.bytesIn());
            record(g, "apdex", r.apdex());
            record(g, "dispatch", r.dispatch());
            list(g, "endpoints", r.endpoints());
            list(g, "distribution", r.distribution());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    static LoadResult read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a load result is a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !FORMAT.equals(format.textValue())) {
            throw new IllegalArgumentException("not a load result (format is " + format + ", expected " + FORMAT + ")");
        }
        return new LoadResult(
                value(root, "label", String.class),
                value(root, "started", Instant.class),
                value(root, "spec", LoadSpec.class),
                value(root, "measuredSeconds", double.class),
                value(root, "completedInWindow", long.class),
                value(root, "counts", LoadResult.Counts.class),
                value(root, "responseTimes", LoadResult.ResponseTimes.class),
                value(root, "latency", LoadResult.Latency.class),
                value(root, "bytesOut", long.class),
                value(root, "bytesIn", long.class),
                value(root, "apdex", LoadResult.Apdex.class),
                value(root, "dispatch", LoadResult.Dispatch.class),
                listOf(root, "endpoints", LoadResult.EndpointStats.class),
                listOf(root, "distribution", LoadResult.Point.class));
    }

    private static void record(JsonGenerator g, String name, Record value) throws IOException {
        g.writeFieldName(name);
        g.writeRawValue(oneLine(value));
    }

    private static void list(JsonGenerator g, String name, List<? extends Record> records) throws IOException {
        g.writeArrayFieldStart(name);
        for (Record r : records) {
            g.writeRawValue(oneLine(r));
        }
        g.writeEndArray();
    }

    private static String oneLine(Object value) {
        try {
            return ONE_LINE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("no JSON form for " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T value(JsonNode root, String name, Class<T> type) {
        JsonNode node = required(root, name);
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw bad(type, node, e);
        }
    }

    private static <T> List<T> listOf(JsonNode root, String name, Class<T> type) {
        JsonNode node = required(root, name);
        if (!node.isArray()) {
            throw new IllegalArgumentException("expected a list of " + type.getSimpleName() + " as '" + name + "'");
        }
        List<T> out = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            try {
                out.add(MAPPER.treeToValue(item, type));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw bad(type, item, e);
            }
        }
        return out;
    }

    private static JsonNode required(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null) {
            throw new IllegalArgumentException("load result lacks '" + name + "'");
        }
        return node;
    }

    private static IllegalArgumentException bad(Class<?> type, JsonNode json, Exception e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return new IllegalArgumentException("bad " + type.getSimpleName() + " in load result: " + json + " (" + why + ")", e);
    }

    private static <T> FromStringDeserializer<T> fromText(Class<T> type, Function<String, T> parse) {
        return new FromStringDeserializer<>(type) {
            @Override
            protected T _deserialize(String value, DeserializationContext context) {
                return parse.apply(value);
            }
        };
    }
}
