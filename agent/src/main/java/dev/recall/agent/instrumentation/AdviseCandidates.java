package dev.recall.agent.instrumentation;

import dev.recall.agent.config.MethodPattern;
import dev.recall.agent.config.MethodSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which methods of the advised classes the advisor observes: those that could be cached at all (they return
 * a value that a second caller can be given) and that do some work. Skipped, from the class file alone:
 * constructors and initializers, abstract, native, synthetic and bridge methods (as for caching), methods
 * returning nothing or a one-shot or asynchronous object, {@code toString}/{@code hashCode}/{@code equals}/
 * {@code compareTo}, an enum's {@code values}/{@code valueOf}, and straight-line code that calls nothing
 * (getters, setters, arithmetic on fields: nanoseconds, never worth a cache). Whether the rest costs enough
 * is measured while they run ({@link dev.recall.agent.advise.Advisor}). Interfaces are left alone: their
 * implementations are observed where they are advised.
 *
 * <p>A JDK dynamic proxy of an advised interface is advised too, whatever its own name ({@code jdk.proxy2.$Proxy155}):
 * a Spring Data repository is such a proxy, and its derived queries ({@code findByLastName}) have no body in any
 * application class. Each of its methods that an advised interface declares is observed as that interface's
 * method, the name a user writes a rule with (and the one the rule then matches the proxy by); the proxy's other
 * methods (Spring's {@code Advised}, {@code equals}) are not. Immutable; the hierarchy it reads is thread-safe.
 */
final class AdviseCandidates {

    private static final Set<String> OBJECT_METHODS = Set.of("toString", "hashCode", "equals", "compareTo", "clone", "finalize");

    private final List<MethodPattern> patterns;
    private final Hierarchy hierarchy;

    /** An observed method, and the signature it is observed (and proposed) as. */
    record Candidate(MethodNode method, MethodSignature signature) {
    }

    AdviseCandidates(List<MethodPattern> patterns, Hierarchy hierarchy) {
        this.patterns = List.copyOf(patterns);
        this.hierarchy = hierarchy;
    }

    /** Whether the class is advised: by its own name, or as a JDK proxy of an advised interface. */
    boolean advises(ClassLoader loader, ClassNode type) {
        return advises(type.name.replace('/', '.')) || !proxiedInterfaces(loader, type).isEmpty();
    }

    /** Whether the class of this binary name is advised: its methods are observed, and none is cached. */
    boolean advises(String binaryName) {
        for (MethodPattern p : patterns) {
            if (p.matchesType(binaryName)) {
                return true;
            }
        }
        return false;
    }

    /** The advised interfaces, however far up, of a JDK proxy class; none for any other class. */
    private List<String> proxiedInterfaces(ClassLoader loader, ClassNode type) {
        if (!"java/lang/reflect/Proxy".equals(type.superName)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String i : hierarchy.interfaces(loader, type)) {
            if (advises(i)) {
                out.add(i);
            }
        }
        return out;
    }

    List<Candidate> candidates(ClassLoader loader, ClassNode type) {
        List<Candidate> out = new ArrayList<>();
        if ((type.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) != 0) {
            return out;
        }
        String name = type.name.replace('/', '.');
        List<String> proxied = proxiedInterfaces(loader, type);
        boolean isEnum = (type.access & Opcodes.ACC_ENUM) != 0;
        for (MethodNode m : type.methods) {
            if (m.name.startsWith("<") || (m.access & MethodAnalyzer.SKIPPED) != 0 || OBJECT_METHODS.contains(m.name)
                    || isEnum && (m.name.equals("values") || m.name.equals("valueOf"))) {
                continue;
            }
            Type returned = Type.getReturnType(m.desc);
            if (returned.getSort() == Type.VOID || OneShotResults.why(returned.getClassName()) != null
                    || OneShotResults.isFuture(returned.getClassName())) {
                continue;
            }
            List<String> parameters = MethodAnalyzer.parameterTypeNames(Type.getArgumentTypes(m.desc));
            if (!proxied.isEmpty()) {
                // A proxy's method only calls its invocation handler: what it costs is what the handler does.
                String declaring = declaring(loader, proxied, m, parameters);
                if (declaring != null) {
                    out.add(new Candidate(m, new MethodSignature(declaring, m.name, parameters)));
                }
            } else if (matches(name, m.name, parameters) && !trivial(m)) {
                out.add(new Candidate(m, new MethodSignature(name, m.name, parameters)));
            }
        }
        return out;
    }

    /** The first advised interface of a proxy that declares its method {@code m} (or inherits it), or {@code null}. */
    private String declaring(ClassLoader loader, List<String> proxied, MethodNode m, List<String> parameters) {
        for (String i : proxied) {
            if (matches(i, m.name, parameters) && hierarchy.declares(loader, i, m.name, m.desc)) {
                return i;
            }
        }
        return null;
    }

    private boolean matches(String type, String method, List<String> parameters) {
        for (MethodPattern p : patterns) {
            if (p.matchesType(type) && p.matchesMethod(method, parameters)) {
                return true;
            }
        }
        return false;
    }

    /** Straight-line code that calls nothing: a getter, a setter, arithmetic on fields. */
    static boolean trivial(MethodNode m) {
        AbstractInsnNode[] code = m.instructions.toArray();
        for (int i = 0; i < code.length; i++) {
            AbstractInsnNode insn = code[i];
            int type = insn.getType();
            if (type == AbstractInsnNode.METHOD_INSN || type == AbstractInsnNode.INVOKE_DYNAMIC_INSN
                    || type == AbstractInsnNode.TABLESWITCH_INSN || type == AbstractInsnNode.LOOKUPSWITCH_INSN
                    || insn.getOpcode() == Opcodes.NEW || insn.getOpcode() == Opcodes.ANEWARRAY
                    || insn.getOpcode() == Opcodes.NEWARRAY || insn.getOpcode() == Opcodes.MULTIANEWARRAY) {
                return false;
            }
            if (insn instanceof JumpInsnNode jump && m.instructions.indexOf(jump.label) < i) {
                return false; // a loop
            }
        }
        return true;
    }
}
