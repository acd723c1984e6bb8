package dev.recall.agent.instrumentation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/** A type's supertypes and properties, read from class files without loading anything. */
final class Hierarchy {

    private Hierarchy() {
    }

    /** Every interface the type implements, directly or through superclasses and superinterfaces. */
    static Set<String> interfaces(TypeDescription type) {
        Map<String, TypeDescription> found = new LinkedHashMap<>();
        try {
            collectInterfaces(type, found);
        } catch (RuntimeException unresolvable) {
            // A supertype missing from the class path: match on what could be read.
        }
        return found.keySet();
    }

    private static void collectInterfaces(TypeDefinition type, Map<String, TypeDescription> found) {
        for (TypeDescription.Generic i : type.getInterfaces()) {
            TypeDescription e = i.asErasure();
            if (found.putIfAbsent(e.getName(), e) == null) {
                collectInterfaces(e, found);
            }
        }
        TypeDescription.Generic superClass = type.getSuperClass();
        if (superClass != null) {
            collectInterfaces(superClass.asErasure(), found);
        }
    }

    /**
     * The type of property {@code name} of {@code type} as the key reader will find it at run time: a
     * public getter, {@code is} getter or accessor (on the class or an interface), or a field.
     *
     * @return the property's type, or {@code null} if there is none
     * @throws RuntimeException if a supertype cannot be read (the caller then leaves it to run time)
     */
    static TypeDescription property(TypeDescription type, String name) {
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        Set<String> accessors = Set.of("get" + cap, "is" + cap, name);
        List<TypeDescription> classes = new ArrayList<>();
        for (TypeDefinition t = type; t != null; t = t.getSuperClass() == null ? null : t.getSuperClass().asErasure()) {
            classes.add(t.asErasure());
        }
        Map<String, TypeDescription> interfaces = new LinkedHashMap<>();
        collectInterfaces(type, interfaces);
        List<TypeDescription> all = new ArrayList<>(classes);
        all.addAll(interfaces.values());
        for (TypeDescription t : all) {
            for (MethodDescription.InDefinedShape m : t.getDeclaredMethods()) {
                if (m.isPublic() && !m.isStatic() && m.getParameters().isEmpty()
                        && !m.getReturnType().represents(void.class) && accessors.contains(m.getName())) {
                    return m.getReturnType().asErasure();
                }
            }
        }
        for (TypeDescription t : classes) {
            for (var f : t.getDeclaredFields()) {
                if (!f.isStatic() && f.getName().equals(name)) {
                    return f.getType().asErasure();
                }
            }
        }
        return null;
    }
}
