package dev.recall.agent.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.Vector;

/**
 * How values of one class are written: its tag and, for records and ordinary classes, its
 * {@link Layout}. Computed once per class and kept in a {@link ClassValue}, which stores it on the class
 * itself: the cache holds no class loader alive, and goes when the class is unloaded. Immutable.
 */
final class TypeInfo {

    private static final ClassValue<TypeInfo> CACHE = new ClassValue<>() {
        @Override
        protected TypeInfo computeValue(Class<?> type) {
            return classify(type);
        }
    };

    private static final Map<Class<?>, Integer> BUILT_IN = new IdentityHashMap<>();

    static {
        BUILT_IN.put(Boolean.class, Tag.TRUE);
        BUILT_IN.put(Byte.class, Tag.BYTE);
        BUILT_IN.put(Short.class, Tag.SHORT);
        BUILT_IN.put(Character.class, Tag.CHAR);
        BUILT_IN.put(Integer.class, Tag.INT);
        BUILT_IN.put(Long.class, Tag.LONG);
        BUILT_IN.put(Float.class, Tag.FLOAT);
        BUILT_IN.put(Double.class, Tag.DOUBLE);
        BUILT_IN.put(String.class, Tag.STRING);
        BUILT_IN.put(BigInteger.class, Tag.BIG_INTEGER);
        BUILT_IN.put(BigDecimal.class, Tag.BIG_DECIMAL);
        BUILT_IN.put(UUID.class, Tag.UUID);
        BUILT_IN.put(Date.class, Tag.DATE);
        BUILT_IN.put(Instant.class, Tag.INSTANT);
        BUILT_IN.put(LocalDate.class, Tag.LOCAL_DATE);
        BUILT_IN.put(LocalTime.class, Tag.LOCAL_TIME);
        BUILT_IN.put(LocalDateTime.class, Tag.LOCAL_DATE_TIME);
        BUILT_IN.put(OffsetDateTime.class, Tag.OFFSET_DATE_TIME);
        BUILT_IN.put(OffsetTime.class, Tag.OFFSET_TIME);
        BUILT_IN.put(ZonedDateTime.class, Tag.ZONED_DATE_TIME);
        BUILT_IN.put(ZoneOffset.class, Tag.ZONE_OFFSET);
        BUILT_IN.put(Duration.class, Tag.DURATION);
        BUILT_IN.put(Period.class, Tag.PERIOD);
        BUILT_IN.put(Year.class, Tag.YEAR);
        BUILT_IN.put(YearMonth.class, Tag.YEAR_MONTH);
        BUILT_IN.put(MonthDay.class, Tag.MONTH_DAY);
        BUILT_IN.put(Optional.class, Tag.OPTIONAL);
        BUILT_IN.put(OptionalInt.class, Tag.OPTIONAL_INT);
        BUILT_IN.put(OptionalLong.class, Tag.OPTIONAL_LONG);
        BUILT_IN.put(OptionalDouble.class, Tag.OPTIONAL_DOUBLE);
        BUILT_IN.put(boolean[].class, Tag.BOOLEAN_ARRAY);
        BUILT_IN.put(byte[].class, Tag.BYTE_ARRAY);
        BUILT_IN.put(short[].class, Tag.SHORT_ARRAY);
        BUILT_IN.put(char[].class, Tag.CHAR_ARRAY);
        BUILT_IN.put(int[].class, Tag.INT_ARRAY);
        BUILT_IN.put(long[].class, Tag.LONG_ARRAY);
        BUILT_IN.put(float[].class, Tag.FLOAT_ARRAY);
        BUILT_IN.put(double[].class, Tag.DOUBLE_ARRAY);
    }

    /** The tag instances are written with (for {@code Boolean}, {@link Tag#TRUE} stands for both). */
    final int tag;
    /** For a classic collection tag or a {@link Tag#SUBCLASS}, the class the reader rebuilds; otherwise {@code null}. */
    final Class<?> restoredAs;
    /** For {@link Tag#JDK_VALUE}, the {@link JdkValues} kind; for {@link Tag#HIBERNATE}, the {@link JpaValues} kind. */
    final int kind;
    /** For {@link Tag#JDK_COLLECTION}, the class's shape. */
    final CollectionTags.Jdk jdk;
    /** For {@link Tag#SUBCLASS}: creates an instance running only its JDK superclass's copy constructor. */
    final Constructor<?> rebuild;
    /** Whether instances carry Hibernate's enhancement interceptor, whose lazy state must be loaded to be copied. */
    final boolean enhanced;
    private final Layout layout;
    /** Why instances cannot be written, or {@code null}. */
    private final String problem;
    private final Throwable cause;

    private TypeInfo(int tag, Layout layout, String problem, Throwable cause) {
        this(tag, tag >= Tag.LIST_ARRAY && tag <= Tag.MAP_ENUM ? CollectionTags.restoredAs(tag) : null, -1, null, null, false,
                layout, problem, cause);
    }

    private TypeInfo(int tag, Class<?> restoredAs, int kind, CollectionTags.Jdk jdk, Constructor<?> rebuild, boolean enhanced,
                     Layout layout, String problem, Throwable cause) {
        this.tag = tag;
        this.restoredAs = restoredAs;
        this.kind = kind;
        this.jdk = jdk;
        this.rebuild = rebuild;
        this.enhanced = enhanced;
        this.layout = layout;
        this.problem = problem;
        this.cause = cause;
    }

    static TypeInfo of(Class<?> type) {
        return CACHE.get(type);
    }

    /** The layout of a record or ordinary class. */
    Layout layout() throws CodecException {
        check();
        return layout;
    }

    /** Throws if instances of this class cannot be written. */
    void check() throws CodecException {
        if (problem != null) {
            throw new CodecException(problem, cause);
        }
    }

    private static TypeInfo classify(Class<?> type) {
        Integer builtIn = BUILT_IN.get(type);
        if (builtIn != null) {
            return new TypeInfo(builtIn, null, null, null);
        }
        if (ZoneId.class.isAssignableFrom(type) && JdkTypes.isJdk(type)) {
            return new TypeInfo(Tag.ZONE_REGION, null, null, null);
        }
        if (Enum.class.isAssignableFrom(type)) {
            return new TypeInfo(Tag.ENUM, null, null, null);
        }
        if (type == Object.class) {
            return new TypeInfo(Tag.BARE_OBJECT, null, null, null);
        }
        int jdkValue = JdkValues.kindOf(type);
        if (jdkValue >= 0) {
            return new TypeInfo(Tag.JDK_VALUE, null, jdkValue, null, null, false, null, null, null);
        }
        int hibernate = JpaValues.kindOf(type);
        if (hibernate != JpaValues.NONE) {
            return new TypeInfo(Tag.HIBERNATE, null, hibernate, null, null, false, null, null, null);
        }
        String notAValue = NonValues.why(type);
        if (notAValue != null) {
            return refused(type.getName() + " is " + notAValue + ", not a value that can be cached", null);
        }
        if (type.isArray()) {
            return new TypeInfo(Tag.OBJECT_ARRAY, null, null, null);
        }
        int collection = CollectionTags.tagOf(type);
        if (collection == -2) {
            return refused(CollectionTags.viewProblem(type), null);
        }
        if (collection == Tag.JDK_COLLECTION) {
            return new TypeInfo(collection, null, -1, CollectionTags.jdkOf(type), null, false, null, null, null);
        }
        if (collection >= 0) {
            return new TypeInfo(collection, null, null, null);
        }
        if (type.isInterface() || type.isPrimitive() || Modifier.isAbstract(type.getModifiers())) {
            return refused(type.getName() + " is abstract: no value is an instance of it alone", null);
        }
        if (Throwable.class.isAssignableFrom(type)) {
            try {
                return new TypeInfo(Tag.THROWABLE, null, -1, null, null, false, Layout.ofThrowable(type), null, null);
            } catch (CodecException e) {
                return refused(e.getMessage(), e.getCause());
            } catch (RuntimeException | LinkageError e) {
                return refused("cannot read the fields of " + type.getName() + ": " + e, e);
            }
        }
        TypeInfo subclass = subclass(type);
        if (subclass != null) {
            return subclass;
        }
        int tag = type.isRecord() ? Tag.RECORD : Tag.OBJECT;
        try {
            return new TypeInfo(tag, null, -1, null, null, tag == Tag.OBJECT && JpaValues.enhanced(type),
                    tag == Tag.RECORD ? Layout.ofRecord(type) : Layout.ofClass(type), null, null);
        } catch (CodecException e) {
            return refused(e.getMessage(), e.getCause());
        } catch (RuntimeException | LinkageError e) {
            return refused("cannot read the fields of " + type.getName() + ": " + e, e);
        }
    }

    /**
     * An application's subclass of {@code ArrayList}, {@code Vector}, {@code HashMap} or {@code LinkedHashMap} that
     * adds no state (a framework's unmodifiable list): its contents are all there is, read through its public
     * interface. The copy is of the same class, made by the JDK superclass's copy constructor alone (which calls no
     * method the subclass could override); the codec writes it as that superclass. {@code null} if {@code type} is
     * not one; a refusal if it adds state to another JDK collection.
     */
    private static TypeInfo subclass(Class<?> type) {
        Class<?> jdk = type;
        while (jdk != null && !JdkTypes.isJdk(jdk)) {
            jdk = jdk.getSuperclass();
        }
        if (jdk == null || !Collection.class.isAssignableFrom(jdk) && !Map.class.isAssignableFrom(jdk)
                || JdkTypes.stateless(jdk)) {
            return null;
        }
        for (Class<?> c = type; c != jdk; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    return null; // state of its own: the JDK superclass's state cannot be read field by field (refused there)
                }
            }
        }
        Class<?> parameter = jdk == ArrayList.class || jdk == Vector.class ? Collection.class
                : jdk == HashMap.class || jdk == LinkedHashMap.class ? Map.class : null;
        if (parameter == null) {
            return refused("values of " + type.getName() + " cannot be cached: it extends " + jdk.getName() + ", which the "
                    + "agent can rebuild only through methods the subclass may override. Set copy: reference for this method "
                    + "if no caller changes its results", null);
        }
        try {
            Constructor<?> rebuild = Instantiator.constructorFor(type, jdk.getConstructor(parameter));
            return new TypeInfo(Tag.SUBCLASS, jdk, -1, null, rebuild, false, null, null, null);
        } catch (CodecException | NoSuchMethodException e) {
            return refused("values of " + type.getName() + " cannot be cached: " + e.getMessage(), e);
        }
    }

    private static TypeInfo refused(String problem, Throwable cause) {
        return new TypeInfo(-1, null, problem, cause);
    }
}
