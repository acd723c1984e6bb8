package dev.recall.agent.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The fields of a record or ordinary class in wire order, made accessible once, with the means to
 * rebuild an instance: the canonical constructor of a record, a constructor-less allocation for a class.
 * Built once per class and kept by {@link TypeInfo}; immutable, so shared by all threads.
 *
 * <p>Fields of an ordinary class are its own and its superclasses' non-static fields, transient ones included,
 * superclass first and by name within each class: {@code getDeclaredFields} promises no order, and two
 * JVMs sharing a Redis must agree. A record's are its components, in declaration order. The fingerprint
 * hashes the names and types, so a value cached by a different version of the class is refused rather
 * than read into the wrong fields.
 */
final class Layout {

    final Field[] fields;
    /** Per field its type's descriptor letter ({@code J}, {@code Z}...), or {@code L} for a reference. */
    final char[] kinds;
    final Class<?>[] types;
    /** A record's canonical constructor, or a class's constructor that runs no code of the class. */
    final Constructor<?> constructor;
    final int fingerprint;
    /**
     * For a record whose canonical constructor runs application code (which a copy would run again): why it
     * cannot be rebuilt; otherwise {@code null}.
     */
    final String rebuildProblem;

    private Layout(Field[] fields, Constructor<?> constructor, boolean record, String rebuildProblem) {
        this.fields = fields;
        this.constructor = constructor;
        this.rebuildProblem = rebuildProblem;
        this.kinds = new char[fields.length];
        this.types = new Class<?>[fields.length];
        CRC32C crc = new CRC32C();
        crc.update(record ? 'R' : 'O');
        for (int i = 0; i < fields.length; i++) {
            types[i] = fields[i].getType();
            kinds[i] = types[i].isPrimitive() ? types[i].descriptorString().charAt(0) : 'L';
            String signature = fields[i].getDeclaringClass().getName() + '.' + fields[i].getName() + ':' + types[i].getName() + ';';
            crc.update(signature.getBytes(StandardCharsets.UTF_8));
        }
        this.fingerprint = (int) crc.getValue();
    }

    static Layout ofRecord(Class<?> type) throws CodecException {
        RecordComponent[] components = type.getRecordComponents();
        Field[] fields = new Field[components.length];
        Class<?>[] parameters = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                fields[i] = type.getDeclaredField(components[i].getName());
            } catch (NoSuchFieldException e) {
                throw new CodecException("record " + type.getName() + " has no field for its component " + components[i].getName(), e);
            }
            open(type, fields[i]);
            parameters[i] = components[i].getType();
        }
        Constructor<?> canonical;
        try {
            canonical = type.getDeclaredConstructor(parameters);
        } catch (NoSuchMethodException e) {
            throw new CodecException("record " + type.getName() + " has no canonical constructor", e);
        }
        if (!canonical.trySetAccessible()) {
            throw closed(type, "canonical constructor", type);
        }
        String code = RecordConstructors.applicationCode(type, org.objectweb.asm.Type.getConstructorDescriptor(canonical));
        String problem = code == null ? null : "record " + type.getName() + " can be rebuilt only through its canonical "
                + "constructor, which runs application code or changes its components (" + code + "): a copy would run it again on every hit. Set "
                + "copy: reference for this method if no caller changes its results, or cache a method returning a "
                + "record whose constructor only assigns and checks its components";
        return new Layout(fields, canonical, true, problem);
    }

    static Layout ofClass(Class<?> type) throws CodecException {
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.push(c);
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            if (JdkTypes.isJdk(c)) {
                if (!JdkTypes.stateless(c)) {
                    throw jdkState(type, c);
                }
                continue; // the collection skeletons' transient caches and modification count
            }
            Field[] own = c.getDeclaredFields();
            Arrays.sort(own, Comparator.comparing(Field::getName));
            for (Field f : own) {
                int m = f.getModifiers();
                // Transient fields too: the copy is what the caller could observe, whatever serialization would
                // skip (a lock, a cached hash). Hibernate's enhancement state never survives into a copy.
                if (!Modifier.isStatic(m) && !f.getName().startsWith(JpaValues.ENHANCEMENT_FIELD_PREFIX)) {
                    open(type, f);
                    fields.add(f);
                }
            }
        }
        return new Layout(fields.toArray(new Field[0]), Instantiator.constructorFor(type), false, null);
    }

    /**
     * The layout of an exception class ({@link Tag#THROWABLE}): the fields its application classes declare, in the
     * order {@link #ofClass} gives them, and a constructor that allocates it running only {@code Throwable(String)}.
     * {@code Throwable}'s own state (message, cause, stack trace, suppressed exceptions) is private to {@code java.base}
     * and is read and rebuilt through its public methods instead, which is faithful only where the class leaves them
     * as they are: refused, saying why, when {@code getMessage()} or {@code getCause()} is the class's own (what
     * {@code Throwable} holds cannot be told from what it computes), or a JDK superclass below {@code Throwable} has
     * fields ({@code SQLException}, {@code InvocationTargetException}).
     */
    static Layout ofThrowable(Class<?> type) throws CodecException {
        for (String own : List.of("getMessage", "getCause")) {
            Class<?> declaring;
            try {
                declaring = type.getMethod(own).getDeclaringClass();
            } catch (NoSuchMethodException e) {
                throw new CodecException(type.getName() + " has no " + own + "()", e);
            }
            if (declaring != Throwable.class) {
                throw new CodecException("exceptions of " + type.getName() + " cannot be cached by value: " + declaring.getName()
                        + " overrides " + own + "(), so what Throwable holds cannot be told from what it computes; set copy: "
                        + "reference for the exception cache if no caller changes a cached exception (a local store only)");
            }
        }
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = type; c != Throwable.class; c = c.getSuperclass()) {
            hierarchy.push(c);
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            Field[] own = c.getDeclaredFields();
            Arrays.sort(own, Comparator.comparing(Field::getName));
            for (Field f : own) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                if (JdkTypes.isJdk(c)) {
                    throw new CodecException("exceptions of " + type.getName() + " cannot be cached by value: "
                            + (c == type ? "it is" : "it extends") + " the JDK class " + c.getName() + ", whose state (field "
                            + f.getName() + ") the agent cannot read; set copy: reference for the exception cache if no caller "
                            + "changes a cached exception (a local store only)");
                }
                open(type, f);
                fields.add(f);
            }
        }
        Constructor<?> withMessage;
        try {
            withMessage = Instantiator.constructorFor(type, Throwable.class.getConstructor(String.class));
        } catch (NoSuchMethodException e) {
            throw new CodecException("Throwable(String) is missing", e);
        }
        return new Layout(fields.toArray(new Field[0]), withMessage, false, null);
    }

    /**
     * JDK classes keep state the codec cannot rebuild by fields: private to closed modules, or transient
     * and written only by their own serialization methods ({@code Date}'s time, {@code Locale}'s
     * everything). Writing them field by field, even with {@code --add-opens}, would read back wrong.
     */
    private static CodecException jdkState(Class<?> type, Class<?> jdkClass) {
        for (Field f : jdkClass.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.trySetAccessible()) {
                return closed(type, "field " + jdkClass.getName() + "." + f.getName(), jdkClass);
            }
        }
        return new CodecException("values of " + type.getName() + " cannot be cached: " + (jdkClass == type ? "it is" : "it extends")
                + " the JDK class " + jdkClass.getName() + ", whose state only the JDK's own serialization knows how to write;"
                + " the JDK types the codec supports are listed in ValueCodec");
    }

    private static void open(Class<?> type, Field f) throws CodecException {
        boolean opened;
        try {
            opened = f.trySetAccessible();
        } catch (SecurityException e) {
            opened = false;
        }
        if (!opened) {
            throw closed(type, "field " + f.getDeclaringClass().getName() + "." + f.getName(), f.getDeclaringClass());
        }
    }

    private static CodecException closed(Class<?> type, String member, Class<?> owner) {
        Module module = owner.getModule();
        String where = module.isNamed() ? "module " + module.getName() : "a module";
        return new CodecException("values of " + type.getName() + " cannot be cached: the agent cannot access its "
                + member + ", because " + where + " does not open " + owner.getPackageName() + " to it (JDK modules"
                + " do not, unless the JVM runs with --add-opens)");
    }
}
