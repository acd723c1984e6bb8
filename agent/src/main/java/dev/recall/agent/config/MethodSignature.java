package dev.recall.agent.config;

import java.util.List;

/**
 * One method of the application: its class, name and parameter types, taken apart once when its class is
 * analysed. Everything that shows, matches or resolves the method reads the parts here, so nothing parses a
 * display form back. Immutable.
 *
 * @param className the declaring class's binary name, {@code com.acme.Repo} ({@code com.acme.Outer$Inner})
 * @param methodName {@code find}
 * @param parameterTypes as {@link Class#getTypeName()} spells them: {@code long}, {@code java.lang.String},
 *     {@code byte[]}
 */
public record MethodSignature(String className, String methodName, List<String> parameterTypes) {

    public MethodSignature {
        parameterTypes = List.copyOf(parameterTypes);
    }

    public int arity() {
        return parameterTypes.size();
    }

    /** The package of the declaring class; empty for the unnamed package. */
    public String packageName() {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    /** Whether {@code pattern} (a rule's {@code method:}) names this method. */
    public boolean matches(MethodPattern pattern) {
        return pattern.matchesType(className) && pattern.matchesMethod(methodName, parameterTypes);
    }

    /** {@code com.acme.Repo.find(java.lang.String,long)}: how logs, JMX names and messages show the method. */
    public String display() {
        return className + '.' + methodName + '(' + String.join(",", parameterTypes) + ')';
    }

    /** {@code Repo.find(String,long)}: simple class and parameter names, for tables. */
    public String shortForm() {
        StringBuilder b = new StringBuilder(simple(className)).append('.').append(methodName).append('(');
        for (int i = 0; i < parameterTypes.size(); i++) {
            b.append(i > 0 ? "," : "").append(simple(parameterTypes.get(i)));
        }
        return b.append(')').toString();
    }

    @Override
    public String toString() {
        return display();
    }

    private static String simple(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }
}
