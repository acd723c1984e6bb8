package dev.recall.agent.instrumentation;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Reads a class file into what the {@link MethodAnalyzer} looks at, and no more: the class, each method's
 * access, name, descriptor, annotations, parameters, local variable names and maximums, but not its
 * instructions, frames or line numbers (which the weaving reads itself, as it writes them). Making the
 * instructions' tree only to drop it was a third of what a woven class cost the agent.
 * Stateless.
 */
final class AnalysisParse {

    private AnalysisParse() {
    }

    /** The class of {@code reader}, its methods without their instructions. */
    static ClassNode outline(ClassReader reader) {
        ClassNode type = new ClassNode(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new WithoutCode((MethodNode) super.visitMethod(access, name, descriptor, signature, exceptions));
            }
        };
        reader.accept(type, ClassReader.SKIP_FRAMES);
        return type;
    }

    /** The whole class, instructions included: what the advised classes' candidates are chosen from. */
    static ClassNode whole(ClassReader reader) {
        ClassNode type = new ClassNode();
        reader.accept(type, ClassReader.SKIP_FRAMES);
        return type;
    }

    /** Passes a method's description to its node and drops its code, but for the names of its locals and its maximums. */
    private static final class WithoutCode extends MethodVisitor {
        WithoutCode(MethodNode node) {
            super(Opcodes.ASM9, node);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        }

        @Override
        public void visitInsn(int opcode) {
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
        }

        @Override
        public void visitLabel(Label label) {
        }

        @Override
        public void visitLdcInsn(Object value) {
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitInsnAnnotation(int typeRef, org.objectweb.asm.TypePath typePath,
                                                                     String descriptor, boolean visible) {
            return null;
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitTryCatchAnnotation(int typeRef, org.objectweb.asm.TypePath typePath,
                                                                         String descriptor, boolean visible) {
            return null;
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitLocalVariableAnnotation(int typeRef, org.objectweb.asm.TypePath typePath,
                Label[] start, Label[] end, int[] index, String descriptor, boolean visible) {
            return null;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
        }
    }
}
