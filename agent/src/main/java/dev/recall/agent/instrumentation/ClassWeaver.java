package dev.recall.agent.instrumentation;

import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Weaves the chosen methods of a class in one pass from its class file to the woven one: the reader feeds
 * each chosen method through an {@link AdviceWeaver} into a writer made from the same reader, so the
 * constant pool is copied rather than built again and every other method (constructors, initializers, what
 * no rule names) is copied as it is, byte for byte, without being decoded. A method whose weaving fails is
 * left as it is and the class woven again without it, so its other methods are still cached.
 *
 * <p>Stateless apart from one weaving's progress; an instance serves one pass on one thread.
 */
final class ClassWeaver extends ClassVisitor {

    /**
     * A method to weave.
     *
     * @param maxLocals its own {@code max_locals}, as its class file says: the woven local goes above it
     */
    record Target(int id, AdviceWeaver.Kind kind, int maxLocals) {
    }

    /** What the weaving asks of the methods it weaves: cached ones and observed ones answer differently. */
    interface Plan {
        /** Whether the method is to be left as it is. */
        boolean skip(int id);

        /** The method cannot be woven: leave it as it is from now on, and say why. */
        void refuse(int id, String why);
    }

    private final Map<String, Target> targets;
    private final Plan plan;
    private String owner;
    private boolean frames;
    private int version;
    /** Whether a method was woven in this pass. */
    private boolean woven;
    /** The method being woven while the reader is inside it, to blame it for a failure; {@code null} between. */
    private Target current;

    private ClassWeaver(ClassWriter writer, Map<String, Target> targets, Plan plan) {
        super(Opcodes.ASM9, writer);
        this.targets = targets;
        this.plan = plan;
    }

    /**
     * The class woven, each method of {@code targets} (by name and descriptor) as its kind says, or {@code null}
     * if nothing was woven.
     */
    static byte[] weave(ClassReader reader, Map<String, Target> targets, Plan plan) {
        while (true) {
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            ClassWeaver weaver = new ClassWeaver(writer, targets, plan);
            try {
                reader.accept(weaver, ClassReader.EXPAND_FRAMES);
            } catch (RuntimeException e) {
                Target failed = weaver.current;
                if (failed == null) {
                    throw e; // not in a method of ours: the class loads unchanged
                }
                plan.refuse(failed.id(), "its code could not be woven (" + e + ")");
                continue; // without that method
            }
            if (!weaver.woven) {
                return null;
            }
            // Maximums only: the weaver keeps every frame right itself, and computing frames would load classes.
            try {
                return writer.toByteArray();
            } catch (MethodTooLargeException e) {
                Target target = targets.get(e.getMethodName() + e.getDescriptor());
                if (target == null || plan.skip(target.id())) {
                    throw e; // a method we did not weave is too large: nothing of ours to take out
                }
                plan.refuse(target.id(), "its code with the woven calls would pass the JVM's limit of 64 KB per method; "
                        + "the class's other methods are woven");
            }
        }
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.owner = name;
        this.version = version & 0xFFFF;
        this.frames = this.version >= Opcodes.V1_6;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        // The writer's own visitor, unwrapped, is what lets the reader copy a method as it is.
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        current = null;
        Target target = targets.get(name + descriptor);
        if (target == null || plan.skip(target.id())) {
            return next;
        }
        if (target.kind() == AdviceWeaver.Kind.WRITE_BACK && version < Opcodes.V1_5) {
            // The woven code names the class with a class constant, which older class files cannot hold.
            plan.refuse(target.id(), "write-back needs a class compiled for Java 5 or later, and "
                    + owner.replace('/', '.') + " is older");
            return next;
        }
        current = target;
        woven = true;
        return new AdviceWeaver(next, owner, access, descriptor, target.maxLocals(), target.id(), target.kind(), frames);
    }

    @Override
    public void visitEnd() {
        current = null;
        super.visitEnd();
    }
}
