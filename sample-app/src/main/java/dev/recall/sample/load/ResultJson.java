package dev.recall.sample.load;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link LoadResult} to and from JSON without a JSON library.
 *
 * <p>The nested records are written generically from their components, so a field added to one of them is
 * saved and read back without touching this class. Doubles are written with {@link Double#toString}, the
 * shortest text that parses back to the same double, and read from their text, so a round trip is exact.
 * Durations and instants are ISO-8601 text. A few derived figures ({@code requestsPerSecond},
 * {@code errorRate}, ...) are written for readers of the file and ignored when reading. Stateless.
 */
final class ResultJson {

    static final String FORMAT = "recall-load-result/1";

    private ResultJson() {
    }

    static String write(LoadResult r) {
        StringBuilder b = new StringBuilder("{\n");
        field(b, "format", MiniJson.quote(FORMAT));
        field(b, "label", MiniJson.quote(r.label()));
        field(b, "started", MiniJson.quote(r.started().toString()));
        field(b, "spec", record(r.spec()));
        field(b, "measuredSeconds", number(r.measuredSeconds()));
        field(b, "completedInWindow", Long.toString(r.completedInWindow()));
        field(b, "requestsPerSecond", number(r.requestsPerSecond()));
        field(b, "errorRate", number(r.counts().errorRate()));
        field(b, "apdexScore", number(r.apdex().score()));
        field(b, "peakResponseTimeMs", number(r.peakResponseTimeMs()));
        field(b, "counts", record(r.counts()));
        field(b, "responseTimes", record(r.responseTimes()));
        field(b, "latency", record(r.latency()));
        field(b, "bytesOut", Long.toString(r.bytesOut()));
        field(b, "bytesIn", Long.toString(r.bytesIn()));
        field(b, "apdex", record(r.apdex()));
        field(b, "dispatch", record(r.dispatch()));
        field(b, "endpoints", list(r.endpoints()));
        b.append("  \"distribution\": ").append(list(r.distribution())).append("\n}\n");
        return b.toString();
    }

    static LoadResult read(String json) {
        if (!(MiniJson.parse(json) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a load result is a JSON object");
        }
        Object format = map.get("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not a load result (format is " + format + ", expected " + FORMAT + ")");
        }
        return new LoadResult(
                (String) convert(String.class, required(map, "label")),
                (Instant) convert(Instant.class, required(map, "started")),
                (LoadSpec) convert(LoadSpec.class, required(map, "spec")),
                (double) convert(double.class, required(map, "measuredSeconds")),
                (long) convert(long.class, required(map, "completedInWindow")),
                (LoadResult.Counts) convert(LoadResult.Counts.class, required(map, "counts")),
                (LoadResult.ResponseTimes) convert(LoadResult.ResponseTimes.class, required(map, "responseTimes")),
                (LoadResult.Latency) convert(LoadResult.Latency.class, required(map, "latency")),
                (long) convert(long.class, required(map, "bytesOut")),
                (long) convert(long.class, required(map, "bytesIn")),
                (LoadResult.Apdex) convert(LoadResult.Apdex.class, required(map, "apdex")),
                (LoadResult.Dispatch) convert(LoadResult.Dispatch.class, required(map, "dispatch")),
                listOf(LoadResult.EndpointStats.class, required(map, "endpoints")),
                listOf(LoadResult.Point.class, required(map, "distribution")));
    }

    private static void field(StringBuilder b, String name, String json) {
        b.append("  ").append(MiniJson.quote(name)).append(": ").append(json).append(",\n");
    }

    /** A record as a one-line object, one entry per component. */
    private static String record(Record r) {
        StringBuilder b = new StringBuilder("{");
        RecordComponent[] components = r.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(MiniJson.quote(components[i].getName())).append(": ").append(value(get(components[i], r)));
        }
        return b.append('}').toString();
    }

    private static String list(List<? extends Record> records) {
        if (records.isEmpty()) {
            return "[]";
        }
        StringBuilder b = new StringBuilder("[\n");
        for (int i = 0; i < records.size(); i++) {
            b.append("    ").append(record(records.get(i))).append(i + 1 < records.size() ? ",\n" : "\n");
        }
        return b.append("  ]").toString();
    }

    private static String value(Object v) {
        if (v instanceof Double d) {
            return number(d);
        } else if (v instanceof Long || v instanceof Integer) {
            return v.toString();
        } else if (v instanceof Duration || v instanceof Instant || v instanceof URI || v instanceof Mix
                || v instanceof Targets || v instanceof String || v instanceof Enum<?>) {
            // Duration and Instant print as ISO-8601, which they parse back; Mix and Targets print as what their parse
            // methods read (one target as its plain URI, so results saved before there could be several still read).
            return MiniJson.quote(v instanceof Enum<?> e ? e.name() : v.toString());
        }
        throw new IllegalStateException("no JSON form for " + v.getClass());
    }

    private static String number(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalStateException("JSON has no " + d);
        }
        return Double.toString(d);
    }

    private static Object required(Map<?, ?> map, String name) {
        if (!map.containsKey(name)) {
            throw new IllegalArgumentException("load result lacks '" + name + "'");
        }
        return map.get(name);
    }

    private static <T extends Record> List<T> listOf(Class<T> type, Object json) {
        if (!(json instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a list of " + type.getSimpleName());
        }
        List<T> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(type.cast(convert(type, item)));
        }
        return out;
    }

    private static Object convert(Class<?> type, Object json) {
        try {
            if (type == long.class) {
                return ((MiniJson.Number) json).asLong();
            } else if (type == int.class) {
                return Math.toIntExact(((MiniJson.Number) json).asLong());
            } else if (type == double.class) {
                return ((MiniJson.Number) json).asDouble();
            } else if (type == String.class) {
                return (String) json;
            } else if (type == Instant.class) {
                return Instant.parse((String) json);
            } else if (type == Duration.class) {
                return Duration.parse((String) json);
            } else if (type == URI.class) {
                return URI.create((String) json);
            } else if (type == Mix.class) {
                return Mix.parse((String) json);
            } else if (type == Targets.class) {
                return Targets.parse((String) json);
            } else if (type == Mode.class) {
                return Mode.valueOf((String) json);
            } else if (type.isRecord()) {
                return recordFrom(type, (Map<?, ?>) json);
            }
        } catch (ClassCastException | NullPointerException | ArithmeticException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad " + type.getSimpleName() + " in load result: " + json, e);
        }
        throw new IllegalStateException("cannot read " + type);
    }

    private static Object recordFrom(Class<?> type, Map<?, ?> json) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            if (!json.containsKey(name)) {
                throw new IllegalArgumentException(type.getSimpleName() + " lacks '" + name + "'");
            }
            args[i] = convert(components[i].getType(), json.get(name));
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("bad " + type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object get(RecordComponent component, Record r) {
        try {
            return component.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
