package dev.recall.agent.method;

import dev.recall.agent.key.KeyFunction;
import dev.recall.agent.log.Log;
import dev.recall.agent.store.Region;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Makes the site of a read method as a class of its own, a hidden subclass of {@link ReadMethod} or
 * {@link ReadThroughMethod} whose {@code keyOf} calls the method's key function as a constant (its class data).
 *
 * <p>Why a class per method: the woven call {@code Bridge.site(ID).lookup(...)} is the only code that is the
 * method's own, and what the JIT learns there is the class of the site. With one class for every method, the
 * hit path's call of the key function is shared by all of them, so it is megamorphic in any application with a
 * few key shapes: a call through the interface table that the JIT cannot inline, and behind it the shared (so
 * also megamorphic) {@code hashCode} and {@code equals} of the key's parts. With a class per method the woven
 * call site sees one class; the JIT inlines its {@code lookup} knowing the exact class, binds {@code keyOf}
 * statically, and sees the key function as a constant, whose own fields (a lambda's) it also trusts: the key is
 * built by code compiled for this method alone. The key itself is unchanged ({@link dev.recall.agent.key.Keys}),
 * so methods that share a region keep meeting in the same entries.
 *
 * <p>Stateless; the hidden classes are defined on the caller's thread (a method's first call) and are unloaded
 * with their site once nothing refers to it.
 */
final class CompiledReads {

    private static final String KEY_FUNCTION = Type.getInternalName(KeyFunction.class);
    private static final String KEY_OF = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";
    private static final String CONSTRUCTOR = "(" + Type.getDescriptor(MethodSpec.class) + Type.getDescriptor(Region.class) + ")V";
    private static final Handle CLASS_DATA = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);

    private CompiledReads() {
    }

    /**
     * The site of a read method: {@code READ_THROUGH} ({@code coalesce}) or {@code CACHE_ASIDE}, of a class made for it;
     * the shared class if that cannot be made (a JVM that refuses hidden classes), which behaves the same, only slower.
     */
    static ReadMethod create(MethodSpec spec, Region region, boolean coalesce) {
        Class<? extends ReadMethod> base = coalesce ? ReadThroughMethod.class : ReadMethod.class;
        try {
            return make(base, spec, region);
        } catch (Throwable t) {
            Log.infoOnce("compiled-reads", "read methods build their keys through the shared key path, a little slower ("
                    + t + ")");
            return coalesce ? new ReadThroughMethod(spec, region) : new ReadMethod(spec, region);
        }
    }

    private static ReadMethod make(Class<? extends ReadMethod> base, MethodSpec spec, Region region) throws Throwable {
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
        // keyOf(self, a0, a1, args) { return CLASS_DATA.key(self, a0, a1, args); }, the key function a constant
        MethodVisitor m = cw.visitMethod(0, "keyOf", KEY_OF, null, null);
        m.visitCode();
        m.visitLdcInsn(new ConstantDynamic("_", "L" + KEY_FUNCTION + ";", CLASS_DATA));
        for (int i = 1; i <= 4; i++) {
            m.visitVarInsn(Opcodes.ALOAD, i);
        }
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, KEY_FUNCTION, "key", KEY_OF, true);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClassWithClassData(cw.toByteArray(),
                spec.key().function(), true);
        return (ReadMethod) lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class, MethodSpec.class,
                Region.class)).invoke(spec, region);
    }
}
