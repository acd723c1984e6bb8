package dev.recall.agent.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Generated code that copies, from one instance of a class to another, the fields a copy takes as they are
 * (primitives, and references of final JDK value types): {@code dst.f = src.f} for each, as a hand-written
 * copy constructor would. Reflection costs some 6 ns a field on the hit path of a value held by value; this
 * costs what the field moves cost. One hidden class per class of the value's hierarchy, a nestmate of it
 * (so it reaches private fields), defined through {@link MethodHandles#privateLookupIn}; it names only
 * that class and JDK types, so it links in any class loader. Where the class cannot be opened to the agent
 * (a named module that does not open its package), there is none, and the copier uses reflection.
 *
 * <p>Shared and thread-safe: the copiers are stateless and kept in a {@link ClassValue} on the value's class.
 */
final class FieldCopiers {

    /** Per class: the copier of its plain fields, or {@code null} (then reflection copies them). */
    private static final ClassValue<Plain> PLAIN = new ClassValue<>() {
        @Override
        protected Plain computeValue(Class<?> type) {
            try {
                return generate(type);
            } catch (ReflectiveOperationException | CodecException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    /**
     * Copies a class's plain fields; {@link #covers} says which fields of the layout it took, and
     * {@code all} whether that is every one (then a copy is an allocation and this, nothing more).
     */
    record Plain(BiConsumer<Object, Object>[] steps, boolean[] covered, boolean all, Constructor<?> constructor,
                 Function<Object, Object> whole) {
        void copy(Object from, Object to) {
            for (BiConsumer<Object, Object> step : steps) {
                step.accept(from, to);
            }
        }

        boolean covers(int field) {
            return covered[field];
        }
    }

    private FieldCopiers() {
    }

    /** The generated copier of {@code type}'s plain fields, or {@code null}. */
    static Plain of(Class<?> type) {
        return PLAIN.get(type);
    }

    @SuppressWarnings("unchecked")
    private static Plain generate(Class<?> type) throws ReflectiveOperationException, CodecException {
        if (TypeInfo.of(type).tag == Tag.THROWABLE) {
            return null; // Throwable's own state is not in its layout: ThrowableCopier copies it
        }
        Layout layout = TypeInfo.of(type).layout();
        boolean[] shared = ValueCopier.sharedFields(type);
        boolean[] covered = new boolean[layout.fields.length];
        List<BiConsumer<Object, Object>> steps = new ArrayList<>();
        int fieldClasses = 0;
        List<Field> wholeFields = List.of();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : layout.fields) {
                if (f.getDeclaringClass() == c) {
                    fieldClasses += c == type ? 1 : 2; // a superclass's fields: its private ones are not the nestmate's
                    break;
                }
            }
            List<Field> mine = new ArrayList<>();
            for (int i = 0; i < layout.fields.length; i++) {
                Field f = layout.fields[i];
                // A final field can be written only in a constructor; reflection writes those.
                if (f.getDeclaringClass() == c && !Modifier.isFinal(f.getModifiers()) && (layout.kinds[i] != 'L' || shared[i])) {
                    mine.add(f);
                    covered[i] = true;
                }
            }
            if (!mine.isEmpty()) {
                steps.add(define(c, mine));
                if (c == type) {
                    wholeFields = mine;
                }
            }
        }
        boolean all = true;
        for (boolean b : covered) {
            all &= b;
        }
        // An enhanced entity's lazy state is checked, and a constant of its class is not copied: neither in one step.
        all &= !TypeInfo.of(type).enhanced && !Constants.any(type);
        Function<Object, Object> whole = null;
        if (all && fieldClasses == 1 && ALLOCATE != null) {
            try {
                whole = defineWhole(type, wholeFields);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                whole = null; // the constructor and the steps serve
            }
        }
        return new Plain(steps.toArray(new BiConsumer[0]), covered, all, layout.constructor, whole);
    }

    /**
     * {@code Unsafe.allocateInstance}, bound to the JDK's instance: allocates an object without running any
     * constructor, as the serialization constructor does, but the JIT compiles it, with the class constant,
     * to a plain allocation (the serialization constructor, called reflectively, cost more than the rest of
     * a hit). Reached through a method handle, so the generated copiers name no JDK-internal class and link
     * in any module; {@code null} on a runtime without {@code jdk.unsupported} (the constructor serves).
     */
    private static final MethodHandle ALLOCATE = allocator();

    private static MethodHandle allocator() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            return MethodHandles.lookup().findVirtual(unsafeClass, "allocateInstance",
                    MethodType.methodType(Object.class, Class.class)).bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * A whole copy in one generated method, for a class whose fields are all its own and all plain: allocate
     * (a constant method handle, {@link #ALLOCATE} with the class bound, the hidden class's class data) and
     * move every field, as {@code new Owner(o)} would.
     */
    @SuppressWarnings("unchecked")
    private static Function<Object, Object> defineWhole(Class<?> owner, List<Field> fields) throws ReflectiveOperationException {
        String ownerName = Type.getInternalName(owner);
        String name = ownerName + "$RecallCopy";
        String handle = "Ljava/lang/invoke/MethodHandle;";
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, name, null, "java/lang/Object",
                new String[] {"java/util/function/Function"});
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "ALLOCATE", handle, null, null).visitEnd();
        MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        clinit.visitLdcInsn("_");
        clinit.visitLdcInsn(Type.getType(handle));
        clinit.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
        clinit.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/invoke/MethodHandle");
        clinit.visitFieldInsn(Opcodes.PUTSTATIC, name, "ALLOCATE", handle);
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
        constructor(cw);
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, "apply", "(Ljava/lang/Object;)Ljava/lang/Object;", null, null);
        m.visitCode();
        castInto(m, 1, ownerName, 2);
        m.visitFieldInsn(Opcodes.GETSTATIC, name, "ALLOCATE", handle);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", "()Ljava/lang/Object;", false);
        m.visitTypeInsn(Opcodes.CHECKCAST, ownerName);
        m.visitVarInsn(Opcodes.ASTORE, 3);
        moves(m, ownerName, fields, 2, 3);
        m.visitVarInsn(Opcodes.ALOAD, 3);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        return (Function<Object, Object>) instance(owner, cw, MethodHandles.insertArguments(ALLOCATE, 0, owner));
    }

    private static void constructor(ClassWriter cw) {
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
    }

    /** {@code local = (owner) argument}: the generated methods take Objects and work on the owner's fields. */
    private static void castInto(MethodVisitor m, int argument, String ownerName, int local) {
        m.visitVarInsn(Opcodes.ALOAD, argument);
        m.visitTypeInsn(Opcodes.CHECKCAST, ownerName);
        m.visitVarInsn(Opcodes.ASTORE, local);
    }

    /** {@code dst.f = src.f} for each field, the two objects in locals {@code src} and {@code dst}. */
    private static void moves(MethodVisitor m, String ownerName, List<Field> fields, int src, int dst) {
        for (Field f : fields) {
            String desc = Type.getDescriptor(f.getType());
            m.visitVarInsn(Opcodes.ALOAD, dst);
            m.visitVarInsn(Opcodes.ALOAD, src);
            m.visitFieldInsn(Opcodes.GETFIELD, ownerName, f.getName(), desc);
            m.visitFieldInsn(Opcodes.PUTFIELD, ownerName, f.getName(), desc);
        }
    }

    /**
     * Defines the class {@code cw} wrote as a hidden nestmate of {@code owner}, with {@code classData} if any, and
     * makes its one instance.
     */
    private static Object instance(Class<?> owner, ClassWriter cw, Object classData) throws ReflectiveOperationException {
        cw.visitEnd();
        MethodHandles.Lookup in = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
        MethodHandles.Lookup lookup = classData == null
                ? in.defineHiddenClass(cw.toByteArray(), true, MethodHandles.Lookup.ClassOption.NESTMATE)
                : in.defineHiddenClassWithClassData(cw.toByteArray(), classData, true, MethodHandles.Lookup.ClassOption.NESTMATE);
        try {
            return lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (ReflectiveOperationException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static BiConsumer<Object, Object> define(Class<?> owner, List<Field> fields) throws ReflectiveOperationException {
        String ownerName = Type.getInternalName(owner);
        String name = ownerName + "$RecallFieldCopy";
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, name, null, "java/lang/Object",
                new String[] {"java/util/function/BiConsumer"});
        constructor(cw);
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, "accept", "(Ljava/lang/Object;Ljava/lang/Object;)V", null, null);
        m.visitCode();
        castInto(m, 1, ownerName, 3);
        castInto(m, 2, ownerName, 4);
        moves(m, ownerName, fields, 3, 4);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        return (BiConsumer<Object, Object>) instance(owner, cw, null);
    }
}
