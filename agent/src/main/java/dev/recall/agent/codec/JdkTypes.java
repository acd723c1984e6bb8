package dev.recall.agent.codec;

import java.util.AbstractCollection;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractQueue;
import java.util.AbstractSequentialList;
import java.util.AbstractSet;
import java.util.Set;

/**
 * What the codec knows of JDK classes. First, those a payload may name without being listed in
 * {@code redis.allowClasses}: value types,
 * the enums among them, and the supertypes an array's element type is commonly declared as
 * ({@code Object[]}, {@code Number[]}, {@code List[]}). The codec writes instances of the value types
 * with tags of their own; their names appear only as array element types and enum classes, so allowing
 * them lets no payload instantiate anything the codec did not choose. Second, which JDK classes an
 * application class may extend and still be written field by field. Stateless.
 */
final class JdkTypes {

    private static final Set<String> ALWAYS_ALLOWED = Set.of(
            "java.lang.Object", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.String",
            "java.lang.Number", "java.lang.CharSequence", "java.lang.Comparable", "java.lang.Enum", "java.lang.Record",
            "java.lang.Iterable", "java.io.Serializable",
            "java.math.BigInteger", "java.math.BigDecimal", "java.math.RoundingMode",
            "java.util.UUID", "java.util.Date", "java.util.Optional", "java.util.OptionalInt", "java.util.OptionalLong",
            "java.util.OptionalDouble",
            "java.util.Collection", "java.util.List", "java.util.Set", "java.util.Map", "java.util.SortedSet",
            "java.util.SortedMap", "java.util.NavigableSet", "java.util.NavigableMap", "java.util.Queue", "java.util.Deque",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.EnumSet", "java.util.EnumMap",
            "java.util.concurrent.TimeUnit",
            "java.time.Instant", "java.time.LocalDate", "java.time.LocalTime", "java.time.LocalDateTime",
            "java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.ZonedDateTime", "java.time.Duration",
            "java.time.Period", "java.time.ZoneId", "java.time.ZoneOffset", "java.time.Year", "java.time.YearMonth",
            "java.time.MonthDay", "java.time.DayOfWeek", "java.time.Month",
            "java.time.temporal.Temporal", "java.time.temporal.TemporalAccessor", "java.time.temporal.TemporalAmount",
            "java.time.temporal.ChronoUnit",
            // Written as their text (JdkValues); named only as an array's element type.
            "java.util.Locale", "java.util.Currency", "java.net.URI", "java.net.URL", "java.nio.file.Path", "java.io.File",
            "java.net.InetAddress", "java.nio.charset.Charset");

    /**
     * JDK superclasses an application class may extend: they hold no state of their own (the collection
     * skeletons' only fields are transient caches and a modification count).
     */
    private static final Set<Class<?>> STATELESS = Set.of(Object.class, Number.class, AbstractCollection.class,
            AbstractList.class, AbstractSequentialList.class, AbstractSet.class,
            AbstractMap.class, AbstractQueue.class);

    private JdkTypes() {
    }

    /** Whether the JDK defines {@code type} (the boot or platform class loader). */
    static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    static boolean stateless(Class<?> type) {
        return STATELESS.contains(type);
    }

    static boolean alwaysAllowed(String className) {
        return ALWAYS_ALLOWED.contains(className);
    }
}
