package dev.recall.agent.codec;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Reads one payload written by {@link Encoder}. A class name is checked against the allowlist before
 * anything loads it, and is loaded without initialization; only then may the class be initialized (by
 * creating an instance or looking up an enum constant). One per {@code decode} call; not thread-safe.
 */
final class Decoder {

    private static final int MAX_DEPTH = Encoder.MAX_DEPTH;
    /** Marks the handle of a record or immutable collection whose contents are still being read. */
    private static final Object PENDING = new Object();
    private static final Object[] NO_HANDLES = new Object[0];
    /** The JVM's limit on array dimensions. */
    private static final int MAX_DIMENSIONS = 255;

    private final ClassAllowlist allowlist;
    private final ClassLoader loader;
    private final Input in;
    private Object[] handles = NO_HANDLES;
    private int handleCount;
    private Class<?>[] classes;
    private int[] fingerprints;
    private int classCount;
    private int depth;

    Decoder(ClassAllowlist allowlist, ClassLoader loader, byte[] bytes) {
        this.allowlist = allowlist;
        this.loader = loader;
        this.in = new Input(bytes);
    }

    Object decode() throws CodecException {
        if (in.remaining() < 2) {
            throw Input.corrupt("only " + in.remaining() + " bytes");
        }
        int magic = in.readByte();
        int version = in.readByte();
        if (magic != (Tag.MAGIC & 0xFF) || version != Tag.VERSION) {
            throw Input.corrupt(String.format("header %02x %02x, expected %02x %02x", magic, version, Tag.MAGIC & 0xFF, Tag.VERSION));
        }
        Object value = read();
        if (in.remaining() != 0) {
            throw Input.corrupt(in.remaining() + " bytes after the value");
        }
        return value;
    }

    private Object read() throws CodecException {
        if (++depth > MAX_DEPTH) {
            throw Input.corrupt("nested deeper than " + MAX_DEPTH + " levels");
        }
        try {
            int tag = in.readByte();
            switch (tag) {
                case Tag.NULL: return null;
                case Tag.TRUE: return Boolean.TRUE;
                case Tag.FALSE: return Boolean.FALSE;
                case Tag.BYTE: return (byte) in.readByte();
                case Tag.SHORT: return (short) in.readZigZag();
                case Tag.CHAR: return (char) in.readVarInt();
                case Tag.INT: return in.readZigZag();
                case Tag.LONG: return in.readZigZagLong();
                case Tag.FLOAT: return in.readFloat();
                case Tag.DOUBLE: return in.readDouble();
                case Tag.STRING: return in.readUtf8();
                case Tag.STRING_UTF16: return in.readUtf16();
                case Tag.BIG_INTEGER: return readBigInteger();
                case Tag.BIG_DECIMAL: {
                    int scale = in.readZigZag();
                    return new BigDecimal(readBigInteger(), scale);
                }
                case Tag.UUID: return new UUID(in.readLong(), in.readLong());
                case Tag.OPTIONAL_EMPTY: return Optional.empty();
                case Tag.OPTIONAL: return Optional.of(notNull(read()));
                case Tag.OPTIONAL_INT: return OptionalInt.of(in.readZigZag());
                case Tag.OPTIONAL_INT_EMPTY: return OptionalInt.empty();
                case Tag.OPTIONAL_LONG: return OptionalLong.of(in.readZigZagLong());
                case Tag.OPTIONAL_LONG_EMPTY: return OptionalLong.empty();
                case Tag.OPTIONAL_DOUBLE: return OptionalDouble.of(in.readDouble());
                case Tag.OPTIONAL_DOUBLE_EMPTY: return OptionalDouble.empty();
                case Tag.BACK_REFERENCE: return readBackReference();
                case Tag.ENUM: return readEnum();
                case Tag.RECORD: return readRecord();
                case Tag.OBJECT: return readObject();
                case Tag.THROWABLE: return readThrowable();
                case Tag.DATE: return register(new Date(in.readZigZagLong()));
                case Tag.BARE_OBJECT: return register(new Object());
                case Tag.JDK_VALUE: {
                    int kind = in.readVarInt();
                    return JdkValues.of(kind, in.readUtf8());
                }
                case Tag.CONSTANT: return readConstant();
                case Tag.JDK_COLLECTION: return readJdk();
                case Tag.OBJECT_ARRAY: return readObjectArray();
                case Tag.BOOLEAN_ARRAY: return register(in.readBooleans());
                case Tag.BYTE_ARRAY: return register(in.readBytes());
                case Tag.SHORT_ARRAY: return register(in.readShorts());
                case Tag.CHAR_ARRAY: return register(in.readChars());
                case Tag.INT_ARRAY: return register(in.readInts());
                case Tag.LONG_ARRAY: return register(in.readLongs());
                case Tag.FLOAT_ARRAY: return register(in.readFloats());
                case Tag.DOUBLE_ARRAY: return register(in.readDoubles());
                default:
                    if (tag >= Tag.LIST_ARRAY && tag <= Tag.MAP_ENUM) {
                        return tag >= Tag.MAP_HASH ? readMap(tag) : readCollection(tag);
                    }
                    return readTime(tag);
            }
        } finally {
            depth--;
        }
    }

    private Object readTime(int tag) throws CodecException {
        switch (tag) {
            case Tag.INSTANT: return Instant.ofEpochSecond(in.readZigZagLong(), in.readVarInt());
            case Tag.LOCAL_DATE: return LocalDate.ofEpochDay(in.readZigZagLong());
            case Tag.LOCAL_TIME: return LocalTime.ofNanoOfDay(in.readVarLong());
            case Tag.LOCAL_DATE_TIME: return readDateTime();
            case Tag.OFFSET_DATE_TIME: return OffsetDateTime.of(readDateTime(), ZoneOffset.ofTotalSeconds(in.readZigZag()));
            case Tag.OFFSET_TIME: return OffsetTime.of(LocalTime.ofNanoOfDay(in.readVarLong()), ZoneOffset.ofTotalSeconds(in.readZigZag()));
            case Tag.ZONED_DATE_TIME:
                LocalDateTime local = readDateTime();
                ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readZigZag());
                Object zone = read();
                if (!(zone instanceof ZoneId)) {
                    throw Input.corrupt("the zone of a ZonedDateTime is a " + (zone == null ? "null" : zone.getClass().getName()));
                }
                // By instant: if the zone's rules changed since (a tzdata update), the moment stays the same.
                return ZonedDateTime.ofInstant(local, offset, (ZoneId) zone);
            case Tag.ZONE_OFFSET: return ZoneOffset.ofTotalSeconds(in.readZigZag());
            case Tag.ZONE_REGION: return ZoneId.of(in.readUtf8());
            case Tag.DURATION: return Duration.ofSeconds(in.readZigZagLong(), in.readVarInt());
            case Tag.PERIOD: return Period.of(in.readZigZag(), in.readZigZag(), in.readZigZag());
            case Tag.YEAR: return Year.of(in.readZigZag());
            case Tag.YEAR_MONTH: return YearMonth.of(in.readZigZag(), in.readVarInt());
            case Tag.MONTH_DAY: return MonthDay.of(in.readVarInt(), in.readVarInt());
            default: throw Input.corrupt("unknown tag " + tag);
        }
    }

    private LocalDateTime readDateTime() throws CodecException {
        return LocalDateTime.of(LocalDate.ofEpochDay(in.readZigZagLong()), LocalTime.ofNanoOfDay(in.readVarLong()));
    }

    private BigInteger readBigInteger() throws CodecException {
        byte[] magnitude = in.readBytes();
        if (magnitude.length == 0) {
            throw Input.corrupt("a BigInteger without bytes");
        }
        return new BigInteger(magnitude);
    }

    private static Object notNull(Object v) throws CodecException {
        if (v == null) {
            throw Input.corrupt("an Optional holding null");
        }
        return v;
    }

    // ---- identity ----

    private <T> T register(T v) {
        if (handleCount == handles.length) {
            handles = Arrays.copyOf(handles, Math.max(8, handleCount * 2));
        }
        handles[handleCount++] = v;
        return v;
    }

    /** A handle for an object built only after its contents; filled in by {@link #fill}. */
    private int reserve() {
        register(PENDING);
        return handleCount - 1;
    }

    private <T> T fill(int handle, T v) {
        handles[handle] = v;
        return v;
    }

    private Object readBackReference() throws CodecException {
        int h = in.readVarInt();
        if (h < 0 || h >= handleCount) {
            throw Input.corrupt("reference to object " + h + " of " + handleCount);
        }
        Object v = handles[h];
        if (v == PENDING) {
            throw Input.corrupt("reference to a record or immutable collection from inside itself");
        }
        return v;
    }

    // ---- classes ----

    private Class<?> readClass() throws CodecException {
        int index = readClassIndex();
        return classes[index];
    }

    private int readClassIndex() throws CodecException {
        int ref = in.readVarInt();
        if (ref != 0) {
            if (ref < 0 || ref > classCount) {
                throw Input.corrupt("reference to class " + ref + " of " + classCount);
            }
            return ref - 1;
        }
        String name = in.readUtf8();
        int fingerprint = in.readInt();
        Class<?> type = resolve(name);
        if (classes == null) {
            classes = new Class<?>[4];
            fingerprints = new int[4];
        } else if (classCount == classes.length) {
            classes = Arrays.copyOf(classes, classCount * 2);
            fingerprints = Arrays.copyOf(fingerprints, classCount * 2);
        }
        classes[classCount] = type;
        fingerprints[classCount] = fingerprint;
        return classCount++;
    }

    private Class<?> resolve(String name) throws CodecException {
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return load(name);
        }
        if (dims > MAX_DIMENSIONS) {
            throw Input.corrupt("an array type with " + dims + " dimensions");
        }
        String element = name.substring(dims);
        Class<?> type;
        if (element.length() == 1) {
            type = primitive(element.charAt(0));
        } else if (element.length() > 2 && element.charAt(0) == 'L' && element.charAt(element.length() - 1) == ';') {
            type = load(element.substring(1, element.length() - 1));
        } else {
            throw Input.corrupt("malformed array type " + name);
        }
        for (int i = 0; i < dims; i++) {
            type = type.arrayType();
        }
        return type;
    }

    private static Class<?> primitive(char descriptor) throws CodecException {
        switch (descriptor) {
            case 'Z': return boolean.class;
            case 'B': return byte.class;
            case 'S': return short.class;
            case 'C': return char.class;
            case 'I': return int.class;
            case 'J': return long.class;
            case 'F': return float.class;
            case 'D': return double.class;
            default: throw Input.corrupt("malformed array type [" + descriptor);
        }
    }

    /** The one place a payload's class name reaches a class loader, and only after the allowlist said yes. */
    private Class<?> load(String name) throws CodecException {
        if (!allowlist.allows(name)) {
            throw new RejectedClassException(name);
        }
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new CodecException("class " + name + ", named by the cached value, is not visible to " + loader
                    + " (renamed or removed since the value was cached?)", e);
        } catch (LinkageError e) {
            throw new CodecException("class " + name + ", named by the cached value, cannot be loaded: " + e, e);
        }
    }

    /** The layout of a record or object class, checked against the fingerprint the writer saw. */
    private Layout layout(int classIndex, int expectedTag) throws CodecException {
        Class<?> type = classes[classIndex];
        TypeInfo info = TypeInfo.of(type);
        if (info.tag != expectedTag) {
            info.check();
            throw Input.corrupt(type.getName() + " is written as a " + (expectedTag == Tag.RECORD ? "record" : "plain object")
                    + " but is not one here");
        }
        Layout layout = info.layout();
        if (layout.fingerprint != fingerprints[classIndex]) {
            throw new CodecException("the fields of " + type.getName() + " differ from those of the class that wrote the"
                    + " cached value (another version of the application?)");
        }
        return layout;
    }

    // ---- enums, records, objects, arrays ----

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object readEnum() throws CodecException {
        Class<?> type = readClass();
        if (!type.isEnum()) {
            throw Input.corrupt(type.getName() + " is not an enum");
        }
        String name = in.readUtf8();
        try {
            return register(Enum.valueOf((Class) type, name));
        } catch (IllegalArgumentException e) {
            throw new CodecException("enum " + type.getName() + " has no constant " + name + " (changed since the value was cached?)", e);
        }
    }

    private Object readRecord() throws CodecException {
        int classIndex = readClassIndex();
        Layout layout = layout(classIndex, Tag.RECORD);
        if (layout.rebuildProblem != null) {
            // Never written by this version; a payload of an older one must not run application code on a read either.
            throw new CodecException(layout.rebuildProblem);
        }
        int handle = reserve();
        Object[] components = new Object[layout.fields.length];
        for (int i = 0; i < components.length; i++) {
            components[i] = readField(layout.kinds[i]);
        }
        try {
            return fill(handle, layout.constructor.newInstance(components));
        } catch (InvocationTargetException e) {
            // Its class only: a constructor's message may quote the components, personal data the log must not show.
            throw new CodecException("the constructor of " + classes[classIndex].getName() + " refused the cached components: "
                    + e.getCause().getClass().getName(), e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new CodecException("cannot rebuild a " + classes[classIndex].getName() + ": " + e, e);
        }
    }

    private Object readField(char kind) throws CodecException {
        switch (kind) {
            case 'Z': return in.readBoolean();
            case 'B': return (byte) in.readByte();
            case 'S': return (short) in.readZigZag();
            case 'C': return (char) in.readVarInt();
            case 'I': return in.readZigZag();
            case 'J': return in.readZigZagLong();
            case 'F': return in.readFloat();
            case 'D': return in.readDouble();
            default: return read();
        }
    }

    private Object readObject() throws CodecException {
        int classIndex = readClassIndex();
        Layout layout = layout(classIndex, Tag.OBJECT);
        Object o;
        try {
            o = layout.constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new CodecException("cannot create a " + classes[classIndex].getName() + ": its constructor threw "
                    + e.getCause().getClass().getName(), e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new CodecException("cannot create a " + classes[classIndex].getName() + ": " + e, e);
        }
        register(o);
        return readFields(o, layout);
    }

    /** The fields of {@code o}, as {@link Encoder} writes an object's. */
    private Object readFields(Object o, Layout layout) throws CodecException {
        Field[] fields = layout.fields;
        Field f = null;
        try {
            for (int i = 0; i < fields.length; i++) {
                f = fields[i];
                switch (layout.kinds[i]) {
                    case 'Z': f.setBoolean(o, in.readBoolean()); break;
                    case 'B': f.setByte(o, (byte) in.readByte()); break;
                    case 'S': f.setShort(o, (short) in.readZigZag()); break;
                    case 'C': f.setChar(o, (char) in.readVarInt()); break;
                    case 'I': f.setInt(o, in.readZigZag()); break;
                    case 'J': f.setLong(o, in.readZigZagLong()); break;
                    case 'F': f.setFloat(o, in.readFloat()); break;
                    case 'D': f.setDouble(o, in.readDouble()); break;
                    default: f.set(o, read());
                }
            }
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new CodecException("cannot set field " + f.getDeclaringClass().getName() + "." + f.getName()
                    + " from the cached value: " + e, e);
        }
        return o;
    }

    /**
     * An exception, rebuilt as {@link ThrowableCopier} copies one: created by {@code Throwable(String)} alone, then
     * given its stack trace, fields, cause and suppressed exceptions through {@code Throwable}'s public methods.
     */
    private Object readThrowable() throws CodecException {
        int classIndex = readClassIndex();
        Layout layout = layout(classIndex, Tag.THROWABLE);
        String message = string(read());
        Throwable t;
        try {
            t = (Throwable) layout.constructor.newInstance(message);
        } catch (InvocationTargetException e) {
            throw new CodecException("cannot create a " + classes[classIndex].getName() + ": its fillInStackTrace() threw "
                    + e.getCause().getClass().getName(), e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new CodecException("cannot create a " + classes[classIndex].getName() + ": " + e, e);
        }
        register(t);
        int frames = in.readCount(7);
        StackTraceElement[] trace = new StackTraceElement[frames];
        for (int i = 0; i < frames; i++) {
            String loaderName = string(read());
            String module = string(read());
            String version = string(read());
            String className = string(read());
            String method = string(read());
            String file = string(read());
            if (className == null || method == null) {
                throw Input.corrupt("a stack frame without its class or method");
            }
            trace[i] = new StackTraceElement(loaderName, module, version, className, method, file, in.readZigZag());
        }
        t.setStackTrace(trace);
        readFields(t, layout);
        Object cause = read();
        if (cause != null) {
            t.initCause(throwable(cause));
        }
        int suppressed = in.readCount(1);
        for (int i = 0; i < suppressed; i++) {
            t.addSuppressed(throwable(read()));
        }
        return t;
    }

    private static String string(Object v) throws CodecException {
        if (v != null && !(v instanceof String)) {
            throw Input.corrupt("a " + v.getClass().getName() + " where a string belongs");
        }
        return (String) v;
    }

    private static Throwable throwable(Object v) throws CodecException {
        if (!(v instanceof Throwable t)) {
            throw Input.corrupt("a " + (v == null ? "null" : v.getClass().getName()) + " where an exception belongs");
        }
        return t;
    }

    private Object readObjectArray() throws CodecException {
        Class<?> element = readClass();
        if (element.isPrimitive()) {
            throw Input.corrupt("an object array of " + element);
        }
        int n = in.readCount(1);
        Object[] a = (Object[]) Array.newInstance(element, n);
        register(a);
        for (int i = 0; i < n; i++) {
            a[i] = read();
        }
        return a;
    }

    // ---- collections ----

    private Object readCollection(int tag) throws CodecException {
        switch (tag) {
            case Tag.LIST_ARRAY: {
                int n = in.readCount(1);
                return fillElements(register(new ArrayList<>(n)), n);
            }
            case Tag.LIST_LINKED:
                return fillElements(register(new LinkedList<>()), in.readCount(1));
            case Tag.SET_HASH: {
                int n = in.readCount(1);
                return fillElements(register(new HashSet<>(capacity(n))), n);
            }
            case Tag.SET_LINKED: {
                int n = in.readCount(1);
                return fillElements(register(new LinkedHashSet<>(capacity(n))), n);
            }
            case Tag.SET_TREE:
                return fillElements(register(new TreeSet<>()), in.readCount(1));
            default:
                return readEnumSet();
        }
    }

    /** A static constant, by its class (allowed, then initialized as any use of it would) and field. */
    private Object readConstant() throws CodecException {
        Class<?> type = readClass();
        String name = in.readUtf8();
        try {
            Field f = type.getDeclaredField(name);
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || !f.trySetAccessible()) {
                throw Input.corrupt(type.getName() + "." + name + " is not a static final field the agent can read");
            }
            Object constant = f.get(null);
            if (constant == null) {
                throw new CodecException(type.getName() + "." + name + " holds null now (changed since the value was cached?)");
            }
            return register(constant);
        } catch (NoSuchFieldException e) {
            throw new CodecException("constant " + type.getName() + "." + name + " no longer exists (changed since the value was cached?)", e);
        } catch (IllegalAccessException e) {
            throw new CodecException("cannot read constant " + type.getName() + "." + name + ": " + e, e);
        }
    }

    /** The JDK collections of {@link CollectionTags.Jdk}, rebuilt as the class and shape they were written as. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object readJdk() throws CodecException {
        int shape = in.readVarInt();
        if (shape < 0 || shape >= CollectionTags.Jdk.ALL.length) {
            throw Input.corrupt("unknown collection shape " + shape);
        }
        CollectionTags.Jdk j = CollectionTags.Jdk.ALL[shape];
        switch (j.family) {
            case CONSTANT:
                return register(j.empty.get());
            case SAME: {
                if (j == CollectionTags.Jdk.PROPERTIES) {
                    int handle = reserve();
                    Object defaults = read();
                    if (!(defaults instanceof Map)) {
                        throw Input.corrupt("the defaults of a Properties are a " + (defaults == null ? null : defaults.getClass()));
                    }
                    Properties p = new Properties();
                    p.putAll((Map<?, ?>) defaults);
                    Properties props = fill(handle, new Properties(p));
                    return fillEntries((Map) props, in.readCount(2));
                }
                Object c = register(j.empty.get());
                return j.isMap() ? fillEntries((Map<Object, Object>) c, in.readCount(2)) : fillElements((Collection<Object>) c, in.readCount(1));
            }
            default: {
                int handle = reserve();
                Object made;
                if (j.isMap()) {
                    Map<Object, Object> m = fillEntries(new LinkedHashMap<>(), in.readCount(2));
                    switch (j) {
                        case MAP_OF: made = Map.ofEntries(m.entrySet().toArray(new Map.Entry[0])); break;
                        case UNMODIFIABLE_MAP: made = Collections.unmodifiableMap(m); break;
                        case UNMODIFIABLE_SORTED_MAP: made = Collections.unmodifiableSortedMap(new TreeMap<>(m)); break;
                        case UNMODIFIABLE_NAVIGABLE_MAP: made = Collections.unmodifiableNavigableMap(new TreeMap<>(m)); break;
                        case SINGLETON_MAP: {
                            if (m.size() != 1) {
                                throw Input.corrupt("a singleton map of " + m.size());
                            }
                            Map.Entry<Object, Object> e = m.entrySet().iterator().next();
                            made = Collections.singletonMap(e.getKey(), e.getValue());
                            break;
                        }
                        default: throw Input.corrupt("shape " + j + " as a map");
                    }
                } else {
                    int n = in.readCount(1);
                    Object[] elements = new Object[n];
                    for (int i = 0; i < n; i++) {
                        elements[i] = read();
                    }
                    List<Object> list = Arrays.asList(elements);
                    switch (j) {
                        case LIST_OF: made = List.of(elements); break;
                        case LIST_NULLS: made = Arrays.stream(elements).toList(); break;
                        case SET_OF: made = Set.of(elements); break;
                        case ARRAYS_LIST: made = list; break;
                        case UNMODIFIABLE_COLLECTION: made = Collections.unmodifiableCollection(new ArrayList<>(list)); break;
                        case UNMODIFIABLE_LIST: made = Collections.unmodifiableList(new LinkedList<>(list)); break;
                        case UNMODIFIABLE_RANDOM_ACCESS_LIST: made = Collections.unmodifiableList(new ArrayList<>(list)); break;
                        case UNMODIFIABLE_SET: made = Collections.unmodifiableSet(new LinkedHashSet<>(list)); break;
                        case UNMODIFIABLE_SORTED_SET: made = Collections.unmodifiableSortedSet(new TreeSet<>(list)); break;
                        case UNMODIFIABLE_NAVIGABLE_SET: made = Collections.unmodifiableNavigableSet(new TreeSet<>(list)); break;
                        case SINGLETON_LIST: made = Collections.singletonList(single(elements)); break;
                        case SINGLETON_SET: made = Collections.singleton(single(elements)); break;
                        default: throw Input.corrupt("shape " + j + " as a collection");
                    }
                }
                return fill(handle, made);
            }
        }
    }

    private static Object single(Object[] elements) throws CodecException {
        if (elements.length != 1) {
            throw Input.corrupt("a singleton of " + elements.length);
        }
        return elements[0];
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object readEnumSet() throws CodecException {
        Class<?> type = readClass();
        if (!type.isEnum()) {
            throw Input.corrupt("an EnumSet of " + type.getName());
        }
        Collection<Object> set = (Collection) EnumSet.noneOf((Class) type);
        register(set);
        return fillElements(set, in.readCount(1));
    }

    private <C extends Collection<Object>> C fillElements(C c, int n) throws CodecException {
        for (int i = 0; i < n; i++) {
            c.add(read());
        }
        return c;
    }

    private Object readMap(int tag) throws CodecException {
        switch (tag) {
            case Tag.MAP_HASH: {
                int n = in.readCount(2);
                return fillEntries(register(new HashMap<>(capacity(n))), n);
            }
            case Tag.MAP_LINKED: {
                int n = in.readCount(2);
                return fillEntries(register(new LinkedHashMap<>(capacity(n))), n);
            }
            case Tag.MAP_TREE:
                return fillEntries(register(new TreeMap<>()), in.readCount(2));
            default:
                return readEnumMap();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object readEnumMap() throws CodecException {
        Class<?> type = readClass();
        if (!type.isEnum()) {
            throw Input.corrupt("an EnumMap keyed by " + type.getName());
        }
        Map<Object, Object> map = new EnumMap(type);
        register(map);
        return fillEntries(map, in.readCount(2));
    }

    private <M extends Map<Object, Object>> M fillEntries(M m, int n) throws CodecException {
        for (int i = 0; i < n; i++) {
            Object key = read();
            m.put(key, read());
        }
        return m;
    }

    /** A hash capacity that holds {@code n} entries without rehashing. */
    private static int capacity(int n) {
        return (int) Math.min(1 << 30, n * 4L / 3 + 1);
    }
}
