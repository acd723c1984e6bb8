package dev.recall.agent.instrumentation;

import java.util.List;
import java.util.Set;

/**
 * Whether a method can be a bulk method ({@code bulk: true}): exactly one parameter that is a collection of
 * keys, and a return type that gives one value per key. Checked when the class loads, so that a rule on a
 * method of another shape is refused with a message naming it rather than failing per call. Stateless.
 */
final class BulkShape {

    /** The collection types a bulk method may take its keys in: the agent passes the missing ones in the same kind. */
    static final Set<String> COLLECTIONS = Set.of("java.util.Collection", "java.util.List", "java.util.Set");
    static final String MAP = "java.util.Map";
    static final String LIST = "java.util.List";

    private BulkShape() {
    }

    /**
     * The index of the method's collection parameter.
     *
     * @param parameterTypes the declared parameter types, as {@link Class#getName()} spells them
     * @param returnType the declared return type
     * @throws IllegalArgumentException with the message to report when the shape does not fit
     */
    static int collectionParameter(List<String> parameterTypes, String returnType) {
        int found = -1;
        for (int i = 0; i < parameterTypes.size(); i++) {
            if (COLLECTIONS.contains(parameterTypes.get(i))) {
                if (found >= 0) {
                    throw new IllegalArgumentException("bulk: true needs exactly one parameter holding the keys, but parameters "
                            + (found + 1) + " and " + (i + 1) + " are both collections; cache a method with one, or drop bulk");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException("bulk: true needs one parameter declared as Collection, List or Set holding "
                    + "the keys, but the method has " + (parameterTypes.isEmpty() ? "none" : parameterTypes) + " (arrays, "
                    + "Iterable and concrete collection classes are not taken); declare the keys as Collection, List or "
                    + "Set, or drop bulk");
        }
        if (!MAP.equals(returnType) && !LIST.equals(returnType)) {
            throw new IllegalArgumentException("bulk: true needs a method returning Map (key to value) or List (one value "
                    + "per key, in the argument's order), but it returns " + returnType + "; declare the result as Map or "
                    + "List, or drop bulk");
        }
        if (LIST.equals(returnType) && "java.util.Set".equals(parameterTypes.get(found))) {
            throw new IllegalArgumentException("bulk: true with a List result needs its values aligned with the keys, "
                    + "but the keys are a Set, whose order the method may not follow; return a Map, or take a List");
        }
        return found;
    }
}
