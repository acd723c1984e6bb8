package dev.recall.agent.instrumentation;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.AnnotationVisitor;

/**
 * Weaves the calls to a method's {@link dev.recall.bridge.Site} into its bytecode, in place: nothing is
 * added to the class but instructions, so a class already loaded can be retransformed (attach). The
 * woven method reads, in Java terms:
 *
 * <pre>{@code
 * Object call;
 * try {
 *     Object r = Bridge.site(ID).lookup(this, a0, a1, args);    // reads only: the hit path
 *     if (r == null) r = Bridge.site(ID).enter(this, a0, a1, args); // or defer(...) for write-back
 *     if (r != null && !(r instanceof Call)) {
 *         if (r instanceof Thrown) throw ((Thrown) r).exception(); // READ_RETHROWING only, outside this try
 *         return (T) Bridge.unwrap(r);                            // hit, or write accepted
 *     }
 *     call = r;
 * } catch (Throwable agentFailure) {
 *     call = null;                                               // the body runs uncached
 * }
 * try {
 *     ...the original body, each return preceded by Bridge.returned(value, call, ID)...
 * } catch (Throwable t) {
 *     Bridge.threw(t, call, ID);
 *     throw t;
 * }
 * }</pre>
 *
 * <p>The one new local sits above the method's own, and every stack map frame of the method is given it,
 * so the class verifies without the weaver computing frames (which would need to load classes). Only
 * {@code dev.recall.bridge} types, defined in the bootstrap class loader, are named in the woven code.
 *
 * <p>It weaves as the class file is read, one visitor between the {@code ClassReader} and the {@code ClassWriter}
 * ({@link ClassWeaver}), rather than on a tree of the method: building the tree and writing it out again was a
 * third of what weaving a class cost, and its code more to warm up at every start. The entry code waits for the
 * method's own exception table (which the reader gives first), so the method's handlers stay ahead of the
 * woven ones, as they must: they are nested inside. One instance per woven method, on one thread.
 */
final class AdviceWeaver extends MethodVisitor {

    /** What the entry code asks of the site. */
    enum Kind {
        /** Look up, and on a miss enter: the body is skipped on a hit. */
        READ,
        /**
         * As {@link #READ}, and a {@link dev.recall.bridge.Thrown} from enter is thrown in place of running the body
         * (JSR-107's exception cache); a kind of its own so other readers' hit path keeps no extra check.
         */
        READ_RETHROWING,
        /** Enter, then always run the body: writes and evictions. */
        WRITE,
        /** Defer: the body is skipped when the site accepts the write for later. */
        WRITE_BACK
    }

    private static final String BRIDGE = "dev/recall/bridge/Bridge";
    private static final String SITE = "dev/recall/bridge/Site";
    private static final String CALL = "dev/recall/bridge/Call";
    private static final String THROWN = "dev/recall/bridge/Thrown";
    private static final String OBJECT = "java/lang/Object";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String ARGS = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";

    private final String owner;
    private final int id;
    private final Kind kind;
    private final boolean frames;
    private final boolean isStatic;
    private final Type[] parameters;
    private final Type returned;
    /** The slot of the new local: above the method's own. */
    private final int call;
    private final Object[] entryLocals;
    private final Label start = new Label();
    private final Label entryEnd = new Label();
    private final Label failed = new Label();
    private final Label body = new Label();
    private final Label bodyEnd = new Label();
    private final Label handler = new Label();
    private boolean entered;
    private boolean ended;

    /**
     * @param next where the woven method goes (the class writer's method)
     * @param owner the internal name of the declaring class
     * @param maxLocals the method's own {@code max_locals}, as its class file says
     * @param frames whether the class file carries stack map frames (version 50 and later); if so the
     *     class must be read with {@code ClassReader.EXPAND_FRAMES}
     */
    AdviceWeaver(MethodVisitor next, String owner, int access, String descriptor, int maxLocals, int id, Kind kind,
                 boolean frames) {
        super(Opcodes.ASM9, next);
        this.owner = owner;
        this.id = id;
        this.kind = kind;
        this.frames = frames;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.parameters = Type.getArgumentTypes(descriptor);
        this.returned = Type.getReturnType(descriptor);
        this.call = maxLocals;
        this.entryLocals = entryLocals(owner, isStatic, parameters);
    }

    // The reader gives the method's exception table first: the woven handlers go after it, then the entry code,
    // before the first instruction, label, frame or line of the method's own.

    private void enter() {
        if (entered) {
            return;
        }
        entered = true;
        super.visitTryCatchBlock(start, entryEnd, failed, THROWABLE);
        // Last in the table: the method's own handlers, which are nested inside, see their exceptions first.
        super.visitTryCatchBlock(body, bodyEnd, handler, THROWABLE);
        entry();
    }

    /** After the method's last instruction: the exit of a body that threw, then what follows the code. */
    private void end() {
        enter();
        if (ended) {
            return;
        }
        ended = true;
        MethodVisitor mv = this.mv;
        mv.visitLabel(bodyEnd);
        mv.visitLabel(handler);
        if (frames) {
            frame(withCall(new ArrayList<>(), call), THROWABLE);
        }
        mv.visitInsn(Opcodes.DUP);
        mv.visitVarInsn(Opcodes.ALOAD, call);
        push(id);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "threw", "(Ljava/lang/Throwable;Ljava/lang/Object;I)V", false);
        mv.visitInsn(Opcodes.ATHROW);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        enter();
        if (!frames) {
            super.visitFrame(type, numLocal, local, numStack, stack);
            return;
        }
        if (type != Opcodes.F_NEW) {
            throw new IllegalStateException("compressed stack map frame; read the class with EXPAND_FRAMES");
        }
        List<Object> locals = new ArrayList<>(numLocal + 1);
        for (int i = 0; i < numLocal; i++) {
            locals.add(local[i]);
        }
        List<Object> withCall = withCall(locals, call);
        super.visitFrame(Opcodes.F_NEW, withCall.size(), withCall.toArray(), numStack, stack);
    }

    @Override
    public void visitInsn(int opcode) {
        enter();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            beforeReturn();
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        enter();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        enter();
        super.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        enter();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
        enter();
        super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String methodOwner, String name, String descriptor, boolean isInterface) {
        enter();
        super.visitMethodInsn(opcode, methodOwner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        enter();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        enter();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLabel(Label label) {
        enter();
        super.visitLabel(label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        enter();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        enter();
        super.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        enter();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        enter();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        enter();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public void visitLineNumber(int line, Label begin) {
        enter();
        super.visitLineNumber(line, begin);
    }

    // What follows the instructions: the exit's handler goes before it.

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label begin, Label last, int index) {
        end();
        super.visitLocalVariable(name, descriptor, signature, begin, last, index);
    }

    @Override
    public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] begin, Label[] last,
                                                          int[] index, String descriptor, boolean visible) {
        end();
        return super.visitLocalVariableAnnotation(typeRef, typePath, begin, last, index, descriptor, visible);
    }

    @Override
    public void visitAttribute(Attribute attribute) {
        if (entered) { // a method's own attribute comes before its code; a code attribute after the instructions
            end();
        }
        super.visitAttribute(attribute);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        end();
        // The class writer computes the maximums again (COMPUTE_MAXS); these say the one new local all the same.
        super.visitMaxs(maxStack, Math.max(maxLocals, call + 1));
    }

    private void entry() {
        MethodVisitor code = this.mv;
        Label store = new Label();
        Label skip = new Label();
        Label rethrow = new Label();
        code.visitLabel(start);
        switch (kind) {
            case READ, READ_RETHROWING -> {
                site();
                loadArguments(true);
                code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SITE, "lookup", ARGS, false);
                code.visitInsn(Opcodes.DUP);
                code.visitJumpInsn(Opcodes.IFNONNULL, skip);
                code.visitInsn(Opcodes.POP);
                site();
                loadArguments(true);
                code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SITE, "enter", ARGS, false);
            }
            case WRITE -> {
                site();
                loadArguments(false);
                code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SITE, "enter", ARGS, false);
            }
            case WRITE_BACK -> {
                site();
                code.visitLdcInsn(Type.getObjectType(owner));
                if (isStatic) {
                    code.visitInsn(Opcodes.ACONST_NULL);
                } else {
                    code.visitVarInsn(Opcodes.ALOAD, 0);
                }
                argumentArray();
                code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SITE, "defer",
                        "(Ljava/lang/Class;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", false);
            }
        }
        if (kind == Kind.WRITE) {
            // The body always runs; the exit sees whatever enter returned.
            code.visitVarInsn(Opcodes.ASTORE, call);
            code.visitJumpInsn(Opcodes.GOTO, body);
        } else {
            // [r]: null or a Call runs the body; anything else is the result (or an accepted write)
            code.visitInsn(Opcodes.DUP);
            code.visitJumpInsn(Opcodes.IFNULL, store);
            code.visitInsn(Opcodes.DUP);
            // Call.class.isInstance(r), not instanceof: C2 speculates on an instanceof's type profile, and on a burst
            // of first calls (100,000 virtual threads missing 10 keys) it sees only the loaders' Calls before it
            // compiles; every waiter parked in that code then returns its value into a failing class check and
            // deoptimizes its frame, thousands of times. The intrinsic compiles to the same subtype check, unprofiled.
            code.visitLdcInsn(Type.getObjectType(CALL));
            code.visitInsn(Opcodes.SWAP);
            code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "isInstance", "(Ljava/lang/Object;)Z", false);
            code.visitJumpInsn(Opcodes.IFEQ, skip);
            code.visitLabel(store);
            if (frames) {
                frame(list(entryLocals), OBJECT);
            }
            code.visitVarInsn(Opcodes.ASTORE, call);
            code.visitJumpInsn(Opcodes.GOTO, body);
            code.visitLabel(skip);
            if (frames) {
                frame(list(entryLocals), OBJECT);
            }
            if (kind == Kind.READ_RETHROWING) {
                code.visitInsn(Opcodes.DUP);
                code.visitTypeInsn(Opcodes.INSTANCEOF, THROWN);
                code.visitJumpInsn(Opcodes.IFNE, rethrow);
            }
            if (returned.getSort() == Type.VOID) {
                code.visitInsn(Opcodes.POP);
            } else {
                code.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "unwrap", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
                castOrUnbox(returned);
            }
            code.visitInsn(returned.getOpcode(Opcodes.IRETURN));
        }
        code.visitLabel(entryEnd);
        if (kind == Kind.READ_RETHROWING) {
            // After the end of the entry's handler range: the cached exception reaches the caller, not that handler
            // (which would run the body), and before the body's range, so the site's exit is not told of it.
            code.visitLabel(rethrow);
            if (frames) {
                frame(list(entryLocals), OBJECT);
            }
            code.visitTypeInsn(Opcodes.CHECKCAST, THROWN);
            code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, THROWN, "exception", "()Ljava/lang/Throwable;", false);
            code.visitInsn(Opcodes.ATHROW);
        }
        // A failure of the agent's own (or a cached value that does not fit) runs the body uncached.
        code.visitLabel(failed);
        if (frames) {
            frame(list(entryLocals), THROWABLE);
        }
        code.visitInsn(Opcodes.POP);
        code.visitInsn(Opcodes.ACONST_NULL);
        code.visitVarInsn(Opcodes.ASTORE, call);
        code.visitLabel(body);
        if (frames) {
            frame(withCall(list(entryLocals), call));
        }
        // Keeps the frame above apart from one the original code may have at its first instruction.
        code.visitInsn(Opcodes.NOP);
    }

    /** Pushes {@code Bridge.site(id)}. */
    private void site() {
        push(id);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "site", "(I)L" + SITE + ";", false);
    }

    /**
     * Pushes {@code self, a0, a1, args} as {@link dev.recall.bridge.Site#enter} takes them: the receiver
     * ({@code null} for a static method), then one or two parameters alone, so the common methods need no
     * array; a read without parameters passes none.
     */
    private void loadArguments(boolean read) {
        MethodVisitor code = this.mv;
        if (isStatic) {
            code.visitInsn(Opcodes.ACONST_NULL);
        } else {
            code.visitVarInsn(Opcodes.ALOAD, 0);
        }
        if (parameters.length == 1 || parameters.length == 2) {
            int slot = isStatic ? 0 : 1;
            for (Type p : parameters) {
                loadBoxed(p, slot);
                slot += p.getSize();
            }
            for (int i = parameters.length; i < 3; i++) {
                code.visitInsn(Opcodes.ACONST_NULL);
            }
            return;
        }
        code.visitInsn(Opcodes.ACONST_NULL);
        code.visitInsn(Opcodes.ACONST_NULL);
        if (read && parameters.length == 0) {
            code.visitInsn(Opcodes.ACONST_NULL);
        } else {
            argumentArray();
        }
    }

    private void argumentArray() {
        MethodVisitor code = this.mv;
        push(parameters.length);
        code.visitTypeInsn(Opcodes.ANEWARRAY, OBJECT);
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < parameters.length; i++) {
            code.visitInsn(Opcodes.DUP);
            push(i);
            loadBoxed(parameters[i], slot);
            code.visitInsn(Opcodes.AASTORE);
            slot += parameters[i].getSize();
        }
    }

    private void loadBoxed(Type type, int slot) {
        mv.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slot);
        box(type);
    }

    /** Before a return: {@code Bridge.returned(value, call, id)}, the value left on the stack. */
    private void beforeReturn() {
        MethodVisitor code = this.mv;
        if (returned.getSort() == Type.VOID) {
            code.visitInsn(Opcodes.ACONST_NULL);
        } else {
            code.visitInsn(returned.getSize() == 2 ? Opcodes.DUP2 : Opcodes.DUP);
            box(returned);
        }
        code.visitVarInsn(Opcodes.ALOAD, call);
        push(id);
        code.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "returned", "(Ljava/lang/Object;Ljava/lang/Object;I)V", false);
    }

    private void box(Type type) {
        Type boxed = boxed(type);
        if (boxed != null) {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, boxed.getInternalName(), "valueOf",
                    "(" + type.getDescriptor() + ")" + boxed.getDescriptor(), false);
        }
    }

    private void castOrUnbox(Type type) {
        Type boxed = boxed(type);
        if (boxed != null) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, boxed.getInternalName());
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, boxed.getInternalName(), type.getClassName() + "Value",
                    "()" + type.getDescriptor(), false);
        } else if (!type.getInternalName().equals(OBJECT)) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, type.getInternalName());
        }
    }

    /** The wrapper class of a primitive type, or {@code null} for a reference type. */
    private static Type boxed(Type type) {
        return switch (type.getSort()) {
            case Type.BOOLEAN -> Type.getObjectType("java/lang/Boolean");
            case Type.CHAR -> Type.getObjectType("java/lang/Character");
            case Type.BYTE -> Type.getObjectType("java/lang/Byte");
            case Type.SHORT -> Type.getObjectType("java/lang/Short");
            case Type.INT -> Type.getObjectType("java/lang/Integer");
            case Type.FLOAT -> Type.getObjectType("java/lang/Float");
            case Type.LONG -> Type.getObjectType("java/lang/Long");
            case Type.DOUBLE -> Type.getObjectType("java/lang/Double");
            default -> null;
        };
    }

    private void push(int value) {
        if (value >= -1 && value <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            mv.visitLdcInsn(value);
        }
    }

    /** The locals at the method's first instruction: the instance, then the parameters. */
    private static Object[] entryLocals(String owner, boolean isStatic, Type[] parameters) {
        List<Object> locals = new ArrayList<>();
        if (!isStatic) {
            locals.add(owner);
        }
        for (Type p : parameters) {
            locals.add(verificationType(p));
        }
        return locals.toArray();
    }

    private static Object verificationType(Type t) {
        return switch (t.getSort()) {
            case Type.BOOLEAN, Type.CHAR, Type.BYTE, Type.SHORT, Type.INT -> Opcodes.INTEGER;
            case Type.FLOAT -> Opcodes.FLOAT;
            case Type.LONG -> Opcodes.LONG;
            case Type.DOUBLE -> Opcodes.DOUBLE;
            default -> t.getInternalName(); // an array's internal name is its descriptor, as frames want
        };
    }

    /** A frame's locals (expanded: a long or double is one entry for two slots) with the call local added. */
    private static List<Object> withCall(List<Object> locals, int callSlot) {
        List<Object> result = new ArrayList<>(locals);
        int slots = 0;
        for (Object l : result) {
            slots += l == Opcodes.LONG || l == Opcodes.DOUBLE ? 2 : 1;
        }
        if (slots > callSlot) {
            throw new IllegalStateException("a frame has " + slots + " local slots, more than max_locals " + callSlot);
        }
        while (slots++ < callSlot) {
            result.add(Opcodes.TOP);
        }
        result.add(OBJECT);
        return result;
    }

    private static List<Object> list(Object[] locals) {
        return new ArrayList<>(List.of(locals));
    }

    private void frame(List<Object> locals, Object... stack) {
        mv.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack);
    }
}
