package dev.recall.agent.codec;

import java.lang.reflect.Field;
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
import java.util.Collection;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;

/** Writes one value graph in the format of {@link Tag}. One per {@code encode} call; not thread-safe. */
final class Encoder {

    /** Matches the reader's bound, so whatever is written can be read back. */
    static final int MAX_DEPTH = 512;

    private final ClassAllowlist allowlist;
    private final Output out = new Output(256);
    /**
     * Handle of each identity object written so far; while a record or immutable collection is still
     * being written its handle is stored complemented (negative): the reader builds those only after
     * their contents, so a reference back to one from inside itself could not be rebuilt.
     */
    private IdentityHashMap<Object, Integer> handles;
    private int handleCount;
    private IdentityHashMap<Class<?>, Integer> classes;
    /** Hibernate's persistent collections and the plain ones written for them, so a second mention is a back-reference. */
    private IdentityHashMap<Object, Object> unwrapped;
    /** The class of the innermost object being written, whose static markers a bare Object may be. */
    private Class<?> holder;
    private int depth;

    Encoder(ClassAllowlist allowlist) {
        this.allowlist = allowlist;
    }

    byte[] encode(Object value, Class<?> declaredType) throws CodecException {
        out.writeByte(Tag.MAGIC);
        out.writeByte(Tag.VERSION);
        write(value, declaredType);
        return out.toByteArray();
    }

    private void write(Object v, Class<?> declared) throws CodecException {
        if (++depth > MAX_DEPTH) {
            throw new CodecException("the value nests deeper than " + MAX_DEPTH + " levels");
        }
        try {
            if (v == null) {
                out.writeByte(Tag.NULL);
            } else if (v.getClass() == String.class) {
                writeString((String) v);
            } else {
                TypeInfo info = TypeInfo.of(v.getClass());
                if (info.tag == Tag.JDK_VALUE) {
                    out.writeByte(Tag.JDK_VALUE);
                    out.writeVarInt(info.kind);
                    out.writeUtf8(JdkValues.text(v, info.kind));
                } else if (!writeImmutable(v, info.tag)) {
                    writeWithIdentity(v, info, declared);
                }
            }
        } finally {
            depth--;
        }
    }

    private void writeString(String s) throws CodecException {
        if (hasUnpairedSurrogate(s)) {
            out.writeByte(Tag.STRING_UTF16);
            out.writeUtf16(s);
        } else {
            out.writeByte(Tag.STRING);
            out.writeUtf8(s);
        }
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /** Values whose identity does not matter; false if {@code tag} is not one of theirs. */
    private boolean writeImmutable(Object v, int tag) throws CodecException {
        switch (tag) {
            case Tag.TRUE:
                out.writeByte((Boolean) v ? Tag.TRUE : Tag.FALSE);
                return true;
            case Tag.BYTE:
                out.writeByte(Tag.BYTE);
                out.writeByte((Byte) v);
                return true;
            case Tag.SHORT:
                out.writeByte(Tag.SHORT);
                out.writeZigZag((int) (Short) v);
                return true;
            case Tag.CHAR:
                out.writeByte(Tag.CHAR);
                out.writeVarInt((Character) v);
                return true;
            case Tag.INT:
                out.writeByte(Tag.INT);
                out.writeZigZag((int) (Integer) v);
                return true;
            case Tag.LONG:
                out.writeByte(Tag.LONG);
                out.writeZigZag((long) (Long) v);
                return true;
            case Tag.FLOAT:
                out.writeByte(Tag.FLOAT);
                out.writeFloat((Float) v);
                return true;
            case Tag.DOUBLE:
                out.writeByte(Tag.DOUBLE);
                out.writeDouble((Double) v);
                return true;
            case Tag.BIG_INTEGER:
                out.writeByte(Tag.BIG_INTEGER);
                out.writeBytes(((BigInteger) v).toByteArray());
                return true;
            case Tag.BIG_DECIMAL:
                BigDecimal d = (BigDecimal) v;
                out.writeByte(Tag.BIG_DECIMAL);
                out.writeZigZag(d.scale());
                out.writeBytes(d.unscaledValue().toByteArray());
                return true;
            case Tag.UUID:
                out.writeByte(Tag.UUID);
                out.writeLong(((UUID) v).getMostSignificantBits());
                out.writeLong(((UUID) v).getLeastSignificantBits());
                return true;
            case Tag.OPTIONAL:
                writeOptional((Optional<?>) v);
                return true;
            case Tag.OPTIONAL_INT:
                OptionalInt oi = (OptionalInt) v;
                out.writeByte(oi.isPresent() ? Tag.OPTIONAL_INT : Tag.OPTIONAL_INT_EMPTY);
                if (oi.isPresent()) {
                    out.writeZigZag(oi.getAsInt());
                }
                return true;
            case Tag.OPTIONAL_LONG:
                OptionalLong ol = (OptionalLong) v;
                out.writeByte(ol.isPresent() ? Tag.OPTIONAL_LONG : Tag.OPTIONAL_LONG_EMPTY);
                if (ol.isPresent()) {
                    out.writeZigZag(ol.getAsLong());
                }
                return true;
            case Tag.OPTIONAL_DOUBLE:
                OptionalDouble od = (OptionalDouble) v;
                out.writeByte(od.isPresent() ? Tag.OPTIONAL_DOUBLE : Tag.OPTIONAL_DOUBLE_EMPTY);
                if (od.isPresent()) {
                    out.writeDouble(od.getAsDouble());
                }
                return true;
            default:
                return writeTime(v, tag);
        }
    }

    private void writeOptional(Optional<?> o) throws CodecException {
        if (o.isEmpty()) {
            out.writeByte(Tag.OPTIONAL_EMPTY);
        } else {
            out.writeByte(Tag.OPTIONAL);
            write(o.get(), Object.class);
        }
    }

    private boolean writeTime(Object v, int tag) throws CodecException {
        switch (tag) {
            case Tag.INSTANT:
                out.writeByte(Tag.INSTANT);
                out.writeZigZag(((Instant) v).getEpochSecond());
                out.writeVarInt(((Instant) v).getNano());
                return true;
            case Tag.LOCAL_DATE:
                out.writeByte(Tag.LOCAL_DATE);
                out.writeZigZag(((LocalDate) v).toEpochDay());
                return true;
            case Tag.LOCAL_TIME:
                out.writeByte(Tag.LOCAL_TIME);
                out.writeVarLong(((LocalTime) v).toNanoOfDay());
                return true;
            case Tag.LOCAL_DATE_TIME:
                out.writeByte(Tag.LOCAL_DATE_TIME);
                writeDateTime((LocalDateTime) v);
                return true;
            case Tag.OFFSET_DATE_TIME:
                out.writeByte(Tag.OFFSET_DATE_TIME);
                writeDateTime(((OffsetDateTime) v).toLocalDateTime());
                out.writeZigZag(((OffsetDateTime) v).getOffset().getTotalSeconds());
                return true;
            case Tag.OFFSET_TIME:
                out.writeByte(Tag.OFFSET_TIME);
                out.writeVarLong(((OffsetTime) v).toLocalTime().toNanoOfDay());
                out.writeZigZag(((OffsetTime) v).getOffset().getTotalSeconds());
                return true;
            case Tag.ZONED_DATE_TIME:
                ZonedDateTime z = (ZonedDateTime) v;
                out.writeByte(Tag.ZONED_DATE_TIME);
                writeDateTime(z.toLocalDateTime());
                out.writeZigZag(z.getOffset().getTotalSeconds());
                write(z.getZone(), ZoneId.class);
                return true;
            case Tag.ZONE_OFFSET:
                out.writeByte(Tag.ZONE_OFFSET);
                out.writeZigZag(((ZoneOffset) v).getTotalSeconds());
                return true;
            case Tag.ZONE_REGION:
                out.writeByte(Tag.ZONE_REGION);
                out.writeUtf8(((ZoneId) v).getId());
                return true;
            case Tag.DURATION:
                out.writeByte(Tag.DURATION);
                out.writeZigZag(((Duration) v).getSeconds());
                out.writeVarInt(((Duration) v).getNano());
                return true;
            case Tag.PERIOD:
                Period p = (Period) v;
                out.writeByte(Tag.PERIOD);
                out.writeZigZag(p.getYears());
                out.writeZigZag(p.getMonths());
                out.writeZigZag(p.getDays());
                return true;
            case Tag.YEAR:
                out.writeByte(Tag.YEAR);
                out.writeZigZag(((Year) v).getValue());
                return true;
            case Tag.YEAR_MONTH:
                out.writeByte(Tag.YEAR_MONTH);
                out.writeZigZag(((YearMonth) v).getYear());
                out.writeVarInt(((YearMonth) v).getMonthValue());
                return true;
            case Tag.MONTH_DAY:
                out.writeByte(Tag.MONTH_DAY);
                out.writeVarInt(((MonthDay) v).getMonthValue());
                out.writeVarInt(((MonthDay) v).getDayOfMonth());
                return true;
            default:
                return false;
        }
    }

    private void writeDateTime(LocalDateTime t) throws CodecException {
        out.writeZigZag(t.toLocalDate().toEpochDay());
        out.writeVarLong(t.toLocalTime().toNanoOfDay());
    }

    private void writeWithIdentity(Object v, TypeInfo info, Class<?> declared) throws CodecException {
        info.check();
        if (info.restoredAs != null && !declared.isAssignableFrom(info.restoredAs)) {
            throw new CodecException("a " + v.getClass().getName() + " would be read back as a " + info.restoredAs.getName()
                    + ", which does not fit where it is held (" + declared.getName() + "); see ValueCodec for the collections kept as they are");
        }
        if (handles != null) {
            Integer h = handles.get(v);
            if (h != null) {
                if (h < 0) {
                    throw new CodecException("a cycle runs through a " + v.getClass().getName() + ", which is built from its"
                            + " contents when read (a record or an immutable collection) and so cannot contain itself");
                }
                out.writeByte(Tag.BACK_REFERENCE);
                out.writeVarInt(h);
                return;
            }
        }
        if ((info.tag == Tag.OBJECT || info.tag == Tag.RECORD || info.tag == Tag.BARE_OBJECT) && writeConstant(v, info.tag)) {
            return;
        }
        switch (info.tag) {
            case Tag.BARE_OBJECT:
                register(v, false);
                out.writeByte(Tag.BARE_OBJECT);
                return;
            case Tag.HIBERNATE:
                writeHibernate(v, info, declared);
                return;
            case Tag.SUBCLASS:
                // Read through its public interface, and back as its JDK superclass.
                writeWithIdentity(v, TypeInfo.of(info.restoredAs), declared);
                return;
            case Tag.JDK_COLLECTION:
                writeJdk(v, CollectionTags.jdkOf(v, info.jdk));
                return;
            case Tag.MAP_LINKED:
                if (CollectionTags.accessOrder((LinkedHashMap<?, ?>) v)) {
                    writeJdk(v, CollectionTags.Jdk.ACCESS_ORDER_MAP);
                    return;
                }
                writeMap((Map<?, ?>) v, info.tag);
                return;
            case Tag.ENUM:
                Enum<?> e = (Enum<?>) v;
                register(v, false);
                out.writeByte(Tag.ENUM);
                writeClass(e.getDeclaringClass());
                out.writeUtf8(e.name());
                return;
            case Tag.RECORD:
                writeRecord(v, info.layout());
                return;
            case Tag.OBJECT:
                writeObject(v, info.layout());
                return;
            case Tag.THROWABLE:
                writeThrowable((Throwable) v, info.layout());
                return;
            case Tag.DATE:
                register(v, false);
                out.writeByte(Tag.DATE);
                out.writeZigZag(((Date) v).getTime());
                return;
            case Tag.OBJECT_ARRAY:
                writeObjectArray((Object[]) v);
                return;
            case Tag.SET_ENUM:
                writeEnumSet((EnumSet<?>) v);
                return;
            case Tag.MAP_ENUM:
                writeEnumMap((EnumMap<?, ?>) v);
                return;
            default:
                if (info.tag >= Tag.BOOLEAN_ARRAY && info.tag <= Tag.DOUBLE_ARRAY) {
                    register(v, false);
                    out.writeByte(info.tag);
                    writePrimitiveArray(v, info.tag);
                } else if (info.tag >= Tag.MAP_HASH) {
                    writeMap((Map<?, ?>) v, info.tag);
                } else {
                    writeCollection((Collection<?>) v, info.tag);
                }
        }
    }

    private int register(Object v, boolean builtAfterContents) {
        if (handles == null) {
            handles = new IdentityHashMap<>();
        }
        int h = handleCount++;
        handles.put(v, builtAfterContents ? ~h : h);
        return h;
    }

    private void completed(Object v, int handle) {
        handles.put(v, handle);
    }

    private void writeClass(Class<?> type) throws CodecException {
        if (classes == null) {
            classes = new IdentityHashMap<>();
        }
        Integer index = classes.get(type);
        if (index != null) {
            out.writeVarInt(index + 1);
            return;
        }
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (!element.isPrimitive() && !allowlist.allows(element.getName())) {
            throw new RejectedClassException(element.getName());
        }
        TypeInfo info = TypeInfo.of(type);
        classes.put(type, classes.size());
        out.writeVarInt(0);
        out.writeUtf8(type.getName());
        out.writeInt(info.tag == Tag.RECORD || info.tag == Tag.OBJECT || info.tag == Tag.THROWABLE ? info.layout().fingerprint : 0);
    }

    private void writeRecord(Object v, Layout layout) throws CodecException {
        if (layout.rebuildProblem != null) {
            throw new CodecException(layout.rebuildProblem);
        }
        int h = register(v, true);
        out.writeByte(Tag.RECORD);
        writeClass(v.getClass());
        writeFields(v, layout);
        completed(v, h);
    }

    private void writeObject(Object v, Layout layout) throws CodecException {
        if (TypeInfo.of(v.getClass()).enhanced) {
            JpaValues.checkLoaded(v);
        }
        register(v, false);
        out.writeByte(Tag.OBJECT);
        writeClass(v.getClass());
        writeFields(v, layout);
    }

    /**
     * An exception: {@code Throwable}'s state through its public methods (the reader rebuilds it through them), then
     * its application classes' fields; handle taken first, as the reader creates it right after the message.
     */
    private void writeThrowable(Throwable t, Layout layout) throws CodecException {
        register(t, false);
        out.writeByte(Tag.THROWABLE);
        writeClass(t.getClass());
        write(t.getMessage(), String.class);
        StackTraceElement[] trace = t.getStackTrace();
        out.writeVarInt(trace.length);
        for (StackTraceElement e : trace) {
            write(e.getClassLoaderName(), String.class);
            write(e.getModuleName(), String.class);
            write(e.getModuleVersion(), String.class);
            write(e.getClassName(), String.class);
            write(e.getMethodName(), String.class);
            write(e.getFileName(), String.class);
            out.writeZigZag(e.getLineNumber());
        }
        writeFields(t, layout);
        write(t.getCause(), Throwable.class);
        Throwable[] suppressed = t.getSuppressed();
        out.writeVarInt(suppressed.length);
        for (Throwable s : suppressed) {
            write(s, Throwable.class);
        }
    }

    private void writeFields(Object v, Layout layout) throws CodecException {
        Field[] fields = layout.fields;
        Class<?> outer = holder;
        holder = v.getClass();
        try {
            for (int i = 0; i < fields.length; i++) {
                Field f = fields[i];
                switch (layout.kinds[i]) {
                    case 'Z': out.writeByte(f.getBoolean(v) ? 1 : 0); break;
                    case 'B': out.writeByte(f.getByte(v)); break;
                    case 'S': out.writeZigZag((int) f.getShort(v)); break;
                    case 'C': out.writeVarInt(f.getChar(v)); break;
                    case 'I': out.writeZigZag(f.getInt(v)); break;
                    case 'J': out.writeZigZag(f.getLong(v)); break;
                    case 'F': out.writeFloat(f.getFloat(v)); break;
                    case 'D': out.writeDouble(f.getDouble(v)); break;
                    default: write(f.get(v), layout.types[i]);
                }
            }
        } catch (IllegalAccessException e) {
            throw new CodecException("cannot read a field of " + v.getClass().getName() + ": " + e, e);
        } finally {
            holder = outer;
        }
    }

    /**
     * A constant of its class (or a bare marker of the object holding it) as the static field that holds it, so
     * the reader hands out that very object; false if {@code v} is not one a field holds directly.
     */
    private boolean writeConstant(Object v, int tag) throws CodecException {
        Field f = tag == Tag.BARE_OBJECT ? Constants.markerOf(holder, v) : Constants.fieldOf(v);
        if (f == null) {
            return false;
        }
        try {
            if (f.get(null) != v) {
                return false; // one of an array or collection the field holds: written as a value
            }
        } catch (IllegalAccessException e) {
            return false;
        }
        register(v, false);
        out.writeByte(Tag.CONSTANT);
        writeClass(f.getDeclaringClass());
        out.writeUtf8(f.getName());
        return true;
    }

    /** A persistent collection as the plain one of its contract, a proxy as its entity. */
    @SuppressWarnings("unchecked")
    private void writeHibernate(Object v, TypeInfo info, Class<?> declared) throws CodecException {
        if (info.kind == JpaValues.PROXY_KIND) {
            write(JpaValues.target(v), declared);
            return;
        }
        if (unwrapped == null) {
            unwrapped = new IdentityHashMap<>();
        }
        Object plain = unwrapped.get(v);
        if (plain == null) {
            plain = JpaValues.plainFor(v);
            if (plain instanceof Map) {
                ((Map<Object, Object>) plain).putAll((Map<Object, Object>) v);
            } else {
                ((Collection<Object>) plain).addAll((Collection<Object>) v);
            }
            unwrapped.put(v, plain);
        }
        write(plain, declared);
    }

    /** The JDK collections of {@link CollectionTags.Jdk}: their shape, then their contents. */
    private void writeJdk(Object v, CollectionTags.Jdk j) throws CodecException {
        if (j == null) {
            throw new CodecException(CollectionTags.viewProblem(v.getClass()));
        }
        if (j.sorted() && (v instanceof SortedSet<?> s ? s.comparator() : ((SortedMap<?, ?>) v).comparator()) != null) {
            throw comparator(v);
        }
        boolean builtAfter = j.family == CollectionTags.Family.IMMUTABLE || j.family == CollectionTags.Family.WRAPPER;
        int h = register(v, builtAfter);
        out.writeByte(Tag.JDK_COLLECTION);
        out.writeVarInt(j.ordinal());
        if (j.family == CollectionTags.Family.CONSTANT) {
            return;
        }
        if (j == CollectionTags.Jdk.PROPERTIES) {
            // Its defaults, flattened: what getProperty and stringPropertyNames find beyond its own entries.
            Properties p = (Properties) v;
            Map<Object, Object> defaults = new LinkedHashMap<>();
            for (String name : p.stringPropertyNames()) {
                if (!p.containsKey(name)) {
                    defaults.put(name, p.getProperty(name));
                }
            }
            write(defaults, Object.class);
        }
        if (j.isMap()) {
            writeEntries((Map<?, ?>) v);
        } else {
            writeElements((Collection<?>) v);
        }
        if (builtAfter) {
            completed(v, h);
        }
    }

    private void writeObjectArray(Object[] a) throws CodecException {
        Class<?> element = a.getClass().getComponentType();
        register(a, false);
        out.writeByte(Tag.OBJECT_ARRAY);
        writeClass(element);
        out.writeVarInt(a.length);
        for (Object e : a) {
            write(e, element);
        }
    }

    private void writePrimitiveArray(Object a, int tag) throws CodecException {
        switch (tag) {
            case Tag.BOOLEAN_ARRAY: out.writeArray((boolean[]) a); break;
            case Tag.BYTE_ARRAY: out.writeArray((byte[]) a); break;
            case Tag.SHORT_ARRAY: out.writeArray((short[]) a); break;
            case Tag.CHAR_ARRAY: out.writeArray((char[]) a); break;
            case Tag.INT_ARRAY: out.writeArray((int[]) a); break;
            case Tag.LONG_ARRAY: out.writeArray((long[]) a); break;
            case Tag.FLOAT_ARRAY: out.writeArray((float[]) a); break;
            default: out.writeArray((double[]) a);
        }
    }

    private void writeCollection(Collection<?> c, int tag) throws CodecException {
        if (tag == Tag.SET_TREE && ((SortedSet<?>) c).comparator() != null) {
            throw comparator(c);
        }
        register(c, false);
        out.writeByte(tag);
        writeElements(c);
    }

    private void writeEnumSet(EnumSet<?> set) throws CodecException {
        // The element type is private; an element shows it, and so does the complement of an empty set.
        EnumSet<?> witness = set.isEmpty() ? EnumSet.complementOf(set) : set;
        if (witness.isEmpty()) {
            throw new CodecException("an empty EnumSet of an enum without constants cannot be cached: its type cannot be observed");
        }
        register(set, false);
        out.writeByte(Tag.SET_ENUM);
        writeClass(witness.iterator().next().getDeclaringClass());
        writeElements(set);
    }

    private void writeElements(Collection<?> c) throws CodecException {
        int size = c.size();
        out.writeVarInt(size);
        int written = 0;
        for (Object e : c) {
            if (++written > size) {
                break;
            }
            write(e, Object.class);
        }
        if (written != size) {
            throw changed(c);
        }
    }

    private void writeMap(Map<?, ?> m, int tag) throws CodecException {
        if (tag == Tag.MAP_TREE && ((SortedMap<?, ?>) m).comparator() != null) {
            throw comparator(m);
        }
        register(m, false);
        out.writeByte(tag);
        writeEntries(m);
    }

    private void writeEnumMap(EnumMap<?, ?> m) throws CodecException {
        if (m.isEmpty()) {
            throw new CodecException("an empty EnumMap cannot be cached: its key type cannot be observed");
        }
        register(m, false);
        out.writeByte(Tag.MAP_ENUM);
        writeClass(m.keySet().iterator().next().getDeclaringClass());
        writeEntries(m);
    }

    private void writeEntries(Map<?, ?> m) throws CodecException {
        int size = m.size();
        out.writeVarInt(size);
        int written = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (++written > size) {
                break;
            }
            write(e.getKey(), Object.class);
            write(e.getValue(), Object.class);
        }
        if (written != size) {
            throw changed(m);
        }
    }

    private static CodecException comparator(Object sorted) {
        return new CodecException("a " + sorted.getClass().getName() + " ordered by a comparator cannot be stored in Redis: only"
                + " natural order can be rebuilt in another JVM (the comparator is code); use store: local for this method, or "
                + "cache a method that returns it in natural order");
    }

    private static CodecException changed(Object c) {
        return new CodecException("a " + c.getClass().getName() + " changed size while it was being encoded");
    }
}
