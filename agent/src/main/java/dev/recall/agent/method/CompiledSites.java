package dev.recall.agent.method;

import dev.recall.agent.key.KeyFunction;
import dev.recall.agent.key.Keys;
import dev.recall.agent.log.Log;
import dev.recall.agent.store.Region;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Makes the site of a read method as an instance of a class made for its kind of key: a hidden subclass of
 * {@link ReadMethod} or {@link ReadThroughMethod} whose {@code keyOf} casts the method's key function to its exact
 * class (a constant, the hidden class's class data) before calling it.
 *
 * <p>Why: the woven call {@code Bridge.site(ID).lookup(...)} is the only code that is the method's own, and what the
 * JIT learns there is the class of the site. With one site class for every method, the hit path's call of the key
 * function is shared by all of them, so in any application with a few kinds of keys it is megamorphic: a call
 * through the interface table that the JIT cannot inline, nor the key's construction behind it. With a site class
 * per kind of key function, the woven call site sees that class; the JIT inlines {@code lookup} knowing it exactly,
 * binds {@code keyOf} statically, and the cast to a constant final class makes the key function's call direct and
 * inlined: the key is built by code compiled into the method's own hit path. The keys themselves are unchanged
 * ({@link dev.recall.agent.key.Keys}), so methods that share a region keep meeting in the same entries.
 *
 * <p>A class per kind of key function (a dozen or so in all: the key template's own lambdas), not per method: a
 * hidden class costs 0.1 to 0.3 ms to define on this machine, which thousands of methods would pay at their first
 * calls. The classes are made once and kept in a {@link ClassValue} of the key function's class; the JDK makes that
 * safe to share between threads (two threads may both make a class, one is kept: harmless).
 */
final class CompiledSites {

    private static final String KEY_FUNCTION = Type.getInternalName(KeyFunction.class);
    private static final String CACHED_METHOD = Type.getInternalName(CachedMethod.class);
    private static final String KEY_OF = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";
    private static final String CONSTRUCTOR = "(" + Type.getDescriptor(MethodSpec.class) + Type.getDescriptor(Region.class) + ")V";
    private static final Handle CLASS_DATA = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
    private static final MethodType MAKE = MethodType.methodType(ReadMethod.class, MethodSpec.class, Region.class);

    /**
     * Per key function class: the constructors of its site classes, made lazily: cache-aside [0] and read-through [1],
     * and the same for a key that is the single argument itself [2, 3]. Racy on purpose: a thread that makes a class
     * again wastes a little time, nothing else; a method handle is immutable, so safe to publish through the array.
     */
    private static final ClassValue<MethodHandle[]> SITES = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            return new MethodHandle[4];
        }
    };

    private CompiledSites() {
    }

    /**
     * The site of a read method: {@code READ_THROUGH} ({@code coalesce}) or {@code CACHE_ASIDE}, of the class made for
     * its key function's class; of the shared class if that cannot be made (a JVM that refuses hidden classes), which
     * behaves the same, only slower.
     */
    static ReadMethod create(MethodSpec spec, Region region, boolean coalesce) {
        try {
            Class<?> function = spec.key().function().getClass();
            boolean single = spec.arity() == 1 && spec.key().isSingleArgument();
            MethodHandle[] sites = SITES.get(function);
            int at = (coalesce ? 1 : 0) + (single ? 2 : 0);
            MethodHandle make = sites[at];
            if (make == null) {
                make = define(coalesce ? ReadThroughMethod.class : ReadMethod.class, single ? null : function);
                sites[at] = make;
            }
            return (ReadMethod) make.invokeExact(spec, region);
        } catch (Throwable t) {
            Log.infoOnce("compiled-reads", "read methods build their keys through the shared key path, a little slower ("
                    + t + ")");
            return coalesce ? new ReadThroughMethod(spec, region) : new ReadMethod(spec, region);
        }
    }

    /**
     * {@code final class <base>$Compiled extends <base>} with the base's constructor and
     * {@code keyOf(self, a0, a1, args) { return ((FunctionClass) keys).key(self, a0, a1, args); }}, or for a key that is
     * the single argument itself ({@code function} null) {@code return Keys.of(a0)}; its constructor as a handle of
     * type {@link #MAKE}.
     */
    private static MethodHandle define(Class<? extends ReadMethod> base, Class<?> function) throws ReflectiveOperationException {
        String superName = Type.getInternalName(base);
        String name = superName + "$Compiled";
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, name, null, superName, null);
        MethodVisitor init = cw.visitMethod(0, "<init>", CONSTRUCTOR, null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitVarInsn(Opcodes.ALOAD, 1);
        init.visitVarInsn(Opcodes.ALOAD, 2);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", CONSTRUCTOR, false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor m = cw.visitMethod(0, "keyOf", KEY_OF, null, null);
        m.visitCode();
        if (function == null) {
            // The key the single argument itself: as the shared class's keyOf, without its test of a field.
            m.visitVarInsn(Opcodes.ALOAD, 2);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(Keys.class), "of", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
        } else {
            // Class.cast of a constant class: the JIT then knows the function's exact (final) class and calls it directly.
            m.visitLdcInsn(new ConstantDynamic("_", "Ljava/lang/Class;", CLASS_DATA));
            m.visitVarInsn(Opcodes.ALOAD, 0);
            m.visitFieldInsn(Opcodes.GETFIELD, CACHED_METHOD, "keys", "L" + KEY_FUNCTION + ";");
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "cast", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
            m.visitTypeInsn(Opcodes.CHECKCAST, KEY_FUNCTION);
            for (int i = 1; i <= 4; i++) {
                m.visitVarInsn(Opcodes.ALOAD, i);
            }
            m.visitMethodInsn(Opcodes.INVOKEINTERFACE, KEY_FUNCTION, "key", KEY_OF, true);
        }
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        MethodHandles.Lookup lookup = function == null ? MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true)
                : MethodHandles.lookup().defineHiddenClassWithClassData(cw.toByteArray(), function, true);
        return lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class, MethodSpec.class, Region.class))
                .asType(MAKE);
    }
}
