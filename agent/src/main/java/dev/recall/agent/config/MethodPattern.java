package dev.recall.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A method signature from the configuration file, with wildcards:
 * {@code com.acme.repo.*Repository#find*(..)}.
 *
 * <p>In the class part {@code *} matches within one package segment and {@code **} across segments; in
 * the method name {@code *} matches anything. {@code (..)} takes any parameters; otherwise parameter
 * types are written fully qualified ({@code java.lang.String}, {@code long}, {@code byte[]},
 * {@code com.acme.Outer$Inner}) or by simple name ({@code String}). Nested classes may be written with
 * {@code $} or {@code .}. Immutable.
 */
public final class MethodPattern {

    static final String FORM = "write Class#method(ParamTypes), for example "
            + "com.acme.fx.RatesClient#rate(java.lang.String, java.lang.String), or with wildcards "
            + "com.acme.repo.*Repository#find*(..)";

    private final String text;
    private final String className;
    private final Pattern classRegex;
    private final Pattern methodRegex;
    private final List<String> params;
    private final boolean exactClass;

    private MethodPattern(String text, String className, Pattern classRegex, Pattern methodRegex,
                          List<String> params, boolean exactClass) {
        this.text = text;
        this.className = className;
        this.classRegex = classRegex;
        this.methodRegex = methodRegex;
        this.params = params;
        this.exactClass = exactClass;
    }

    /**
     * A pattern of the advisor's: a class pattern alone ({@code com.acme.**}: every method of those classes),
     * or a method pattern as {@link #parse} reads it.
     *
     * @throws IllegalArgumentException saying what is wrong and what to write
     */
    public static MethodPattern parseClasses(String text) {
        String s = text == null ? "" : text.trim();
        return parse(s.indexOf('#') < 0 && s.indexOf('(') < 0 ? s + "#*(..)" : s);
    }

    /** @throws IllegalArgumentException saying what is wrong and what to write */
    public static MethodPattern parse(String text) {
        String s = text == null ? "" : text.trim();
        int hash = s.indexOf('#');
        int open = s.indexOf('(');
        if (hash < 0) {
            int dot = s.lastIndexOf('.', open < 0 ? s.length() - 1 : open);
            String hint = dot > 0 && open > 0 ? " (did you mean '" + s.substring(0, dot) + "#" + s.substring(dot + 1) + "'?)" : "";
            throw new IllegalArgumentException("'" + s + "' has no '#' between class and method" + hint + "; " + FORM);
        }
        if (open < 0 || !s.endsWith(")") || open < hash) {
            throw new IllegalArgumentException("'" + s + "' has no parameter list; " + FORM
                    + " ('(..)' for any parameters)");
        }
        String cls = s.substring(0, hash).trim();
        String method = s.substring(hash + 1, open).trim();
        String paramText = s.substring(open + 1, s.length() - 1).trim();
        if (cls.isEmpty() || !cls.matches("[\\w.$*]+")) {
            throw new IllegalArgumentException("'" + cls + "' is not a class name; " + FORM);
        }
        if (method.isEmpty() || !method.matches("[\\w$*]+")) {
            throw new IllegalArgumentException("'" + method + "' is not a method name; " + FORM);
        }
        List<String> params;
        if (paramText.equals("..")) {
            params = null;
        } else if (paramText.isEmpty()) {
            params = List.of();
        } else {
            List<String> list = new ArrayList<>();
            for (String p : paramText.split(",", -1)) {
                String type = p.trim().replace("...", "[]");
                if (!type.matches("[\\w.$]+(\\[])*")) {
                    throw new IllegalArgumentException("'" + p.trim() + "' is not a parameter type; write types only, "
                            + "fully qualified or simple (java.lang.String, String, long, byte[]), or '(..)' for any");
                }
                list.add(normalize(type));
            }
            params = Collections.unmodifiableList(list);
        }
        String normalizedClass = normalize(cls);
        return new MethodPattern(s, normalizedClass, Pattern.compile(classRegex(normalizedClass)),
                Pattern.compile(method.replace("$", "\\$").replace("*", ".*")), params, !cls.contains("*"));
    }

    private static String classRegex(String cls) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cls.length(); i++) {
            char c = cls.charAt(i);
            if (c == '*') {
                if (i + 1 < cls.length() && cls.charAt(i + 1) == '*') {
                    b.append(".*");
                    i++;
                } else {
                    b.append("[^.]*");
                }
            } else if (c == '.') {
                b.append("\\.");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String normalize(String typeName) {
        return typeName.replace('$', '.');
    }

    /** Whether a class (binary name, {@code com.acme.Outer$Inner}) is named by the class part. */
    public boolean matchesType(String binaryName) {
        return classRegex.matcher(normalize(binaryName)).matches();
    }

    /**
     * Whether a method of a matching type is named by the method part.
     *
     * @param parameterTypes the parameter types as Java writes them ({@code java.lang.String[]})
     */
    public boolean matchesMethod(String name, List<String> parameterTypes) {
        if (!methodRegex.matcher(name).matches()) {
            return false;
        }
        if (params == null) {
            return true;
        }
        if (params.size() != parameterTypes.size()) {
            return false;
        }
        for (int i = 0; i < params.size(); i++) {
            String want = params.get(i);
            String have = normalize(parameterTypes.get(i));
            if (!(want.equals(have) || (want.indexOf('.') < 0 && have.endsWith("." + want)))) {
                return false;
            }
        }
        return true;
    }

    /** The class part when it has no wildcard, else {@code null}. */
    public String exactClassName() {
        return exactClass ? className : null;
    }

    @Override
    public String toString() {
        return text;
    }
}
