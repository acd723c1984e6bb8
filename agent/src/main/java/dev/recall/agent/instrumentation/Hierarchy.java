package dev.recall.agent.instrumentation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A type's supertypes and properties, read from class files ({@link ClassFiles}) without loading
 * anything: the one walk up a type's supertypes, for the pre-screen and the analyzer alike, so each
 * supertype's class file is read once. Shared; stateless but for the thread-safe outline cache.
 */
final class Hierarchy {

    private final ClassFiles classFiles;

    Hierarchy(ClassFiles classFiles) {
        this.classFiles = classFiles;
    }

    /**
     * Every interface the type implements, directly or through superclasses and superinterfaces, as
     * binary names ({@code com.acme.Repo}). A supertype missing from the class path ends the walk there:
     * matching uses what could be read.
     */
    Set<String> interfaces(ClassLoader loader, ClassNode type) {
        return interfaces(loader, type.superName, type.interfaces);
    }

    /** As {@link #interfaces(ClassLoader, ClassNode)}, for a type known by its direct supertypes (internal names). */
    Set<String> interfaces(ClassLoader loader, String superName, List<String> directInterfaces) {
        Set<String> found = new LinkedHashSet<>();
        try {
            collectInterfaces(loader, superName, directInterfaces, found);
        } catch (RuntimeException unresolvable) {
            // keep what was found
        }
        Set<String> dotted = new LinkedHashSet<>();
        for (String i : found) {
            dotted.add(i.replace('/', '.'));
        }
        return dotted;
    }

    private void collectInterfaces(ClassLoader loader, String superName, List<String> directInterfaces, Set<String> found) {
        for (String i : directInterfaces) {
            if (found.add(i)) {
                ClassNode outline = classFiles.outline(loader, i);
                collectInterfaces(loader, outline.superName, outline.interfaces, found);
            }
        }
        // Object implements nothing: most classes extend it directly, and need no class file read for it.
        if (superName != null && !superName.equals("java/lang/Object")) {
            ClassNode outline = classFiles.outline(loader, superName);
            collectInterfaces(loader, outline.superName, outline.interfaces, found);
        }
    }

    /**
     * Whether interface {@code interfaceName} ({@code com.acme.Repo}) has an instance method that a class's method
     * {@code name}{@code desc} implements: declared by it or by an interface it extends, with the same name and
     * number of parameters, each of the same type or, where the interface's is a reference type written with
     * generics ({@code save(T)}, erased to {@code Object} or a bound), any reference type. An interface whose class
     * file cannot be read is taken to have it: matching then is as wide as the rule's names alone.
     */
    boolean declares(ClassLoader loader, String interfaceName, String name, String desc) {
        try {
            Type[] wanted = Type.getArgumentTypes(desc);
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(List.of(interfaceName.replace('.', '/')));
            while (!todo.isEmpty()) {
                String i = todo.remove(todo.size() - 1);
                if (!seen.add(i)) {
                    continue;
                }
                ClassNode outline = classFiles.outline(loader, i);
                for (MethodNode m : outline.methods) {
                    if (m.name.equals(name) && (m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0
                            && implementedBy(m, wanted)) {
                        return true;
                    }
                }
                todo.addAll(outline.interfaces);
            }
            return false;
        } catch (RuntimeException unreadable) {
            return true;
        }
    }

    private static boolean implementedBy(MethodNode declared, Type[] wanted) {
        Type[] have = Type.getArgumentTypes(declared.desc);
        if (have.length != wanted.length) {
            return false;
        }
        for (int i = 0; i < have.length; i++) {
            if (have[i].equals(wanted[i])) {
                continue;
            }
            boolean references = have[i].getSort() >= Type.ARRAY && wanted[i].getSort() >= Type.ARRAY;
            boolean generic = declared.signature != null || have[i].getInternalName().equals("java/lang/Object");
            if (!(references && generic)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The type of property {@code name} of {@code type} as the key reader will find it at run time: a
     * public getter, {@code is} getter or accessor (on the class or an interface), or a field.
     *
     * @return the property's type, or {@code null} if there is none
     * @throws RuntimeException if a supertype cannot be read (the caller then leaves it to run time)
     */
    Type property(ClassLoader loader, Type type, String name) {
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        Set<String> accessors = Set.of("get" + cap, "is" + cap, name);
        // Up the superclasses one at a time: the getter is nearly always on the type itself, and then no
        // other class file (not even Object's) needs reading.
        List<ClassNode> classes = new ArrayList<>();
        for (String c = type.getInternalName(); c != null; ) {
            ClassNode node = classFiles.outline(loader, c);
            Type found = accessor(node, accessors);
            if (found != null) {
                return found;
            }
            classes.add(node);
            c = node.superName;
        }
        Set<String> interfaceNames = new LinkedHashSet<>();
        collectInterfaces(loader, classes.get(0).superName, classes.get(0).interfaces, interfaceNames);
        for (String i : interfaceNames) {
            Type found = accessor(classFiles.outline(loader, i), accessors);
            if (found != null) {
                return found;
            }
        }
        for (ClassNode t : classes) {
            for (FieldNode f : t.fields) {
                if ((f.access & Opcodes.ACC_STATIC) == 0 && f.name.equals(name)) {
                    return Type.getType(f.desc);
                }
            }
        }
        return null;
    }

    /** The return type of a public instance accessor of {@code type} named one of {@code names}, or {@code null}. */
    private static Type accessor(ClassNode type, Set<String> names) {
        for (MethodNode m : type.methods) {
            Type returned = Type.getReturnType(m.desc);
            if ((m.access & Opcodes.ACC_PUBLIC) != 0 && (m.access & Opcodes.ACC_STATIC) == 0
                    && m.desc.startsWith("()") && returned.getSort() != Type.VOID && names.contains(m.name)) {
                return returned;
            }
        }
        return null;
    }
}
