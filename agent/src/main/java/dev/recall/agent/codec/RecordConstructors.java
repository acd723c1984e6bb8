package dev.recall.agent.codec;

import java.io.IOException;
import java.io.InputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Whether a record's canonical constructor runs code of the application's, found by reading its bytecode: a
 * record is rebuilt only through it (its fields cannot be set otherwise), so a copy runs it again. One that only
 * assigns its components, or also calls the JDK (a {@code requireNonNull}, a {@code List.copyOf}, a check that
 * throws), computes the same thing again and is called; one that calls the application's code (a counter, a log,
 * a helper of its own) would run that code on every hit, and the record is refused. Stateless.
 */
final class RecordConstructors {

    private RecordConstructors() {
    }

    /**
     * What application code the canonical constructor with {@code descriptor} calls, or {@code null} if it calls
     * only the JDK (or its bytecode cannot be read, as for a class defined at run time).
     */
    static String applicationCode(Class<?> record, String descriptor) {
        String resource = record.getName().replace('.', '/') + ".class";
        ClassLoader loader = record.getClassLoader();
        byte[] bytes;
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            bytes = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String[] found = new String[1];
        try {
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                    if (!name.equals("<init>") || !desc.equals(descriptor)) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String d, boolean itf) {
                            if (!jdk(owner)) {
                                note(owner.replace('/', '.') + "." + method);
                            }
                        }

                        @Override
                        public void visitFieldInsn(int opcode, String owner, String field, String d) {
                            if (opcode == Opcodes.PUTSTATIC) {
                                note("a write of " + owner.replace('/', '.') + "." + field);
                            }
                        }

                        @Override
                        public void visitInvokeDynamicInsn(String method, String d, Handle bootstrap, Object... args) {
                            if (!bootstrap.getOwner().equals("java/lang/invoke/StringConcatFactory")) {
                                note("a lambda or other dynamic call (" + method + ")");
                            }
                        }

                        private void note(String what) {
                            if (found[0] == null) {
                                found[0] = what;
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            return null;
        }
        return found[0];
    }

    /** JDK code, but not the functional interfaces through which application code is called back. */
    private static boolean jdk(String owner) {
        return owner.startsWith("java/") && !owner.startsWith("java/util/function/") && !owner.equals("java/lang/Runnable")
                && !owner.equals("java/util/concurrent/Callable");
    }
}
