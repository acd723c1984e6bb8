package dev.recall.agent.instrumentation;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

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
 * {@code dev.recall.bridge} types, defined in the bootstrap class loader, are named in the woven code. Stateless.
 */
final class AdviceWeaver {

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

    private AdviceWeaver() {
    }

    /**
     * @param owner the internal name of the declaring class
     * @param frames whether the class file carries stack map frames (version 50 and later); if so the
     *     method must have been read with {@code ClassReader.EXPAND_FRAMES}
     */
    static void weave(String owner, MethodNode m, int id, Kind kind, boolean frames) {
        boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
        Type[] parameters = Type.getArgumentTypes(m.desc);
        Type returned = Type.getReturnType(m.desc);
        int call = m.maxLocals;
        Object[] entry = entryLocals(owner, isStatic, parameters);

        for (AbstractInsnNode insn : m.instructions.toArray()) {
            int op = insn.getOpcode();
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                m.instructions.insertBefore(insn, beforeReturn(returned, call, id));
            } else if (frames && insn instanceof FrameNode f) {
                if (f.type != Opcodes.F_NEW) {
                    throw new IllegalStateException("compressed stack map frame; read the class with EXPAND_FRAMES");
                }
                f.local = withCall(f.local, call);
            }
        }

        LabelNode body = new LabelNode();
        m.instructions.insert(entry(owner, m, id, kind, isStatic, parameters, returned, call, entry, body, frames));

        LabelNode end = new LabelNode();
        LabelNode handler = new LabelNode();
        m.instructions.add(end);
        m.instructions.add(handler);
        if (frames) {
            m.instructions.add(frame(withCall(new ArrayList<>(), call), THROWABLE));
        }
        m.instructions.add(new InsnNode(Opcodes.DUP));
        m.instructions.add(new VarInsnNode(Opcodes.ALOAD, call));
        m.instructions.add(push(id));
        m.instructions.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "threw",
                "(Ljava/lang/Throwable;Ljava/lang/Object;I)V", false));
        m.instructions.add(new InsnNode(Opcodes.ATHROW));
        // Last in the table: the method's own handlers, which are nested inside, see their exceptions first.
        m.tryCatchBlocks.add(new TryCatchBlockNode(body, end, handler, THROWABLE));
        m.maxLocals = call + 1;
    }

    private static InsnList entry(String owner, MethodNode m, int id, Kind kind, boolean isStatic, Type[] parameters,
                                  Type returned, int call, Object[] entryLocals, LabelNode body, boolean frames) {
        InsnList code = new InsnList();
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        LabelNode failed = new LabelNode();
        LabelNode store = new LabelNode();
        LabelNode skip = new LabelNode();
        LabelNode rethrow = new LabelNode();
        code.add(start);
        switch (kind) {
            case READ, READ_RETHROWING -> {
                site(code, id);
                loadArguments(code, isStatic, parameters, true);
                code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, SITE, "lookup", ARGS, false));
                code.add(new InsnNode(Opcodes.DUP));
                code.add(new JumpInsnNode(Opcodes.IFNONNULL, skip));
                code.add(new InsnNode(Opcodes.POP));
                site(code, id);
                loadArguments(code, isStatic, parameters, true);
                code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, SITE, "enter", ARGS, false));
            }
            case WRITE -> {
                site(code, id);
                loadArguments(code, isStatic, parameters, false);
                code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, SITE, "enter", ARGS, false));
            }
            case WRITE_BACK -> {
                site(code, id);
                code.add(new LdcInsnNode(Type.getObjectType(owner)));
                code.add(isStatic ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, 0));
                argumentArray(code, isStatic, parameters);
                code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, SITE, "defer",
                        "(Ljava/lang/Class;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", false));
            }
        }
        if (kind == Kind.WRITE) {
            // The body always runs; the exit sees whatever enter returned.
            code.add(new VarInsnNode(Opcodes.ASTORE, call));
            code.add(new JumpInsnNode(Opcodes.GOTO, body));
        } else {
            // [r]: null or a Call runs the body; anything else is the result (or an accepted write)
            code.add(new InsnNode(Opcodes.DUP));
            code.add(new JumpInsnNode(Opcodes.IFNULL, store));
            code.add(new InsnNode(Opcodes.DUP));
            // Call.class.isInstance(r), not instanceof: C2 speculates on an instanceof's type profile, and on a burst
            // of first calls (100,000 virtual threads missing 10 keys) it sees only the loaders' Calls before it
            // compiles; every waiter parked in that code then returns its value into a failing class check and
            // deoptimizes its frame, thousands of times. The intrinsic compiles to the same subtype check, unprofiled.
            code.add(new LdcInsnNode(Type.getObjectType(CALL)));
            code.add(new InsnNode(Opcodes.SWAP));
            code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "isInstance", "(Ljava/lang/Object;)Z", false));
            code.add(new JumpInsnNode(Opcodes.IFEQ, skip));
            code.add(store);
            if (frames) {
                code.add(frame(list(entryLocals), OBJECT));
            }
            code.add(new VarInsnNode(Opcodes.ASTORE, call));
            code.add(new JumpInsnNode(Opcodes.GOTO, body));
            code.add(skip);
            if (frames) {
                code.add(frame(list(entryLocals), OBJECT));
            }
            if (kind == Kind.READ_RETHROWING) {
                code.add(new InsnNode(Opcodes.DUP));
                code.add(new TypeInsnNode(Opcodes.INSTANCEOF, THROWN));
                code.add(new JumpInsnNode(Opcodes.IFNE, rethrow));
            }
            if (returned.getSort() == Type.VOID) {
                code.add(new InsnNode(Opcodes.POP));
            } else {
                code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "unwrap", "(Ljava/lang/Object;)Ljava/lang/Object;", false));
                castOrUnbox(code, returned);
            }
            code.add(new InsnNode(returned.getOpcode(Opcodes.IRETURN)));
        }
        code.add(end);
        if (kind == Kind.READ_RETHROWING) {
            // After the end of the entry's handler range: the cached exception reaches the caller, not that handler
            // (which would run the body), and before the body's range, so the site's exit is not told of it.
            code.add(rethrow);
            if (frames) {
                code.add(frame(list(entryLocals), OBJECT));
            }
            code.add(new TypeInsnNode(Opcodes.CHECKCAST, THROWN));
            code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, THROWN, "exception", "()Ljava/lang/Throwable;", false));
            code.add(new InsnNode(Opcodes.ATHROW));
        }
        // A failure of the agent's own (or a cached value that does not fit) runs the body uncached.
        code.add(failed);
        if (frames) {
            code.add(frame(list(entryLocals), THROWABLE));
        }
        code.add(new InsnNode(Opcodes.POP));
        code.add(new InsnNode(Opcodes.ACONST_NULL));
        code.add(new VarInsnNode(Opcodes.ASTORE, call));
        code.add(body);
        if (frames) {
            code.add(frame(withCall(list(entryLocals), call)));
        }
        // Keeps the frame above apart from one the original code may have at its first instruction.
        code.add(new InsnNode(Opcodes.NOP));
        m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, failed, THROWABLE));
        return code;
    }

    /** Pushes {@code Bridge.site(id)}. */
    private static void site(InsnList code, int id) {
        code.add(push(id));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "site", "(I)L" + SITE + ";", false));
    }

    /**
     * Pushes {@code self, a0, a1, args} as {@link dev.recall.bridge.Site#enter} takes them: the receiver
     * ({@code null} for a static method), then one or two parameters alone, so the common methods need no
     * array; a read without parameters passes none.
     */
    private static void loadArguments(InsnList code, boolean isStatic, Type[] parameters, boolean read) {
        code.add(isStatic ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, 0));
        if (parameters.length == 1 || parameters.length == 2) {
            int slot = isStatic ? 0 : 1;
            for (Type p : parameters) {
                loadBoxed(code, p, slot);
                slot += p.getSize();
            }
            for (int i = parameters.length; i < 3; i++) {
                code.add(new InsnNode(Opcodes.ACONST_NULL));
            }
            return;
        }
        code.add(new InsnNode(Opcodes.ACONST_NULL));
        code.add(new InsnNode(Opcodes.ACONST_NULL));
        if (read && parameters.length == 0) {
            code.add(new InsnNode(Opcodes.ACONST_NULL));
        } else {
            argumentArray(code, isStatic, parameters);
        }
    }

    private static void argumentArray(InsnList code, boolean isStatic, Type[] parameters) {
        code.add(push(parameters.length));
        code.add(new TypeInsnNode(Opcodes.ANEWARRAY, OBJECT));
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < parameters.length; i++) {
            code.add(new InsnNode(Opcodes.DUP));
            code.add(push(i));
            loadBoxed(code, parameters[i], slot);
            code.add(new InsnNode(Opcodes.AASTORE));
            slot += parameters[i].getSize();
        }
    }

    private static void loadBoxed(InsnList code, Type type, int slot) {
        code.add(new VarInsnNode(type.getOpcode(Opcodes.ILOAD), slot));
        box(code, type);
    }

    /** Before a return: {@code Bridge.returned(value, call, id)}, the value left on the stack. */
    private static InsnList beforeReturn(Type returned, int call, int id) {
        InsnList code = new InsnList();
        if (returned.getSort() == Type.VOID) {
            code.add(new InsnNode(Opcodes.ACONST_NULL));
        } else {
            code.add(new InsnNode(returned.getSize() == 2 ? Opcodes.DUP2 : Opcodes.DUP));
            box(code, returned);
        }
        code.add(new VarInsnNode(Opcodes.ALOAD, call));
        code.add(push(id));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "returned", "(Ljava/lang/Object;Ljava/lang/Object;I)V", false));
        return code;
    }

    private static void box(InsnList code, Type type) {
        Type boxed = boxed(type);
        if (boxed != null) {
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, boxed.getInternalName(), "valueOf",
                    "(" + type.getDescriptor() + ")" + boxed.getDescriptor(), false));
        }
    }

    private static void castOrUnbox(InsnList code, Type type) {
        Type boxed = boxed(type);
        if (boxed != null) {
            code.add(new TypeInsnNode(Opcodes.CHECKCAST, boxed.getInternalName()));
            code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, boxed.getInternalName(), type.getClassName() + "Value",
                    "()" + type.getDescriptor(), false));
        } else if (!type.getInternalName().equals(OBJECT)) {
            code.add(new TypeInsnNode(Opcodes.CHECKCAST, type.getInternalName()));
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

    private static AbstractInsnNode push(int value) {
        if (value >= -1 && value <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + value);
        }
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            return new IntInsnNode(Opcodes.BIPUSH, value);
        }
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return new IntInsnNode(Opcodes.SIPUSH, value);
        }
        return new LdcInsnNode(value);
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
        List<Object> result = new ArrayList<>(locals == null ? List.of() : locals);
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

    private static FrameNode frame(List<Object> locals, Object... stack) {
        return new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack);
    }
}
