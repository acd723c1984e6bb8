package dev.recall.agent.codec;

import java.io.IOException;
import java.io.InputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Whether a record's canonical constructor runs code of the application's, found by reading its bytecode: a
 * record is rebuilt only through it (its fields cannot be set otherwise), so a copy runs it again. One that only
 * assigns its components, or also calls the JDK (a {@code requireNonNull}, a {@code List.copyOf}, a check that
 * throws), computes the same thing again and is called; one that calls the application's code (a counter, a log,
 * a helper of its own) would run that code on every hit, and the record is refused. So is one that changes a
 * component on its way to its field ({@code label = label + "#" + n}, {@code this.x = x * 2}): run again on the
 * copied components it would change them once more. A component may pass through an idempotent JDK call
 * ({@code requireNonNull}, {@code List.copyOf} and the like), which gives back what it is given a second time.
 * Stateless.
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
                    int parameterSlots = Type.getArgumentsAndReturnSizes(desc) >> 2; // 'this' included
                    return new MethodVisitor(Opcodes.ASM9) {
                        /** What put the value on top of the stack: a parameter as given, an idempotent call, or anything else. */
                        private boolean unchanged;

                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String d, boolean itf) {
                            if (!jdk(owner)) {
                                note(owner.replace('/', '.') + "." + method);
                            }
                            unchanged = opcode == Opcodes.INVOKESTATIC && idempotent(owner, method);
                        }

                        @Override
                        public void visitFieldInsn(int opcode, String owner, String field, String d) {
                            if (opcode == Opcodes.PUTSTATIC) {
                                note("a write of " + owner.replace('/', '.') + "." + field);
                            } else if (opcode == Opcodes.PUTFIELD && !unchanged) {
                                note("a computed value stored in its field " + field);
                            }
                            unchanged = false;
                        }

                        @Override
                        public void visitVarInsn(int opcode, int slot) {
                            boolean load = opcode >= Opcodes.ILOAD && opcode <= Opcodes.ALOAD;
                            if (!load && slot > 0 && slot < parameterSlots && !unchanged) {
                                note("a component changed before it is stored (parameter slot " + slot + ")");
                            }
                            unchanged = load && slot > 0 && slot < parameterSlots;
                        }

                        @Override
                        public void visitTypeInsn(int opcode, String type) {
                            if (opcode != Opcodes.CHECKCAST) {
                                unchanged = false;
                            } // a cast leaves the value as it is
                        }

                        @Override
                        public void visitInsn(int opcode) {
                            unchanged = false;
                        }

                        @Override
                        public void visitIntInsn(int opcode, int operand) {
                            unchanged = false;
                        }

                        @Override
                        public void visitLdcInsn(Object value) {
                            unchanged = false;
                        }

                        @Override
                        public void visitIincInsn(int slot, int increment) {
                            if (slot > 0 && slot < parameterSlots) {
                                note("a component changed before it is stored (parameter slot " + slot + ")");
                            }
                            unchanged = false;
                        }

                        @Override
                        public void visitInvokeDynamicInsn(String method, String d, Handle bootstrap, Object... args) {
                            if (!bootstrap.getOwner().equals("java/lang/invoke/StringConcatFactory")) {
                                note("a lambda or other dynamic call (" + method + ")");
                            }
                            unchanged = false;
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

    /** Calls that give back what they are given when given their own result again: a component may pass through them. */
    private static boolean idempotent(String owner, String method) {
        return switch (owner) {
            case "java/util/Objects" -> method.equals("requireNonNull");
            case "java/util/List", "java/util/Set", "java/util/Map" -> method.equals("copyOf");
            default -> false;
        };
    }

    /** JDK code, but not the functional interfaces through which application code is called back. */
    private static boolean jdk(String owner) {
        return owner.startsWith("java/") && !owner.startsWith("java/util/function/") && !owner.equals("java/lang/Runnable")
                && !owner.equals("java/util/concurrent/Callable");
    }
}
