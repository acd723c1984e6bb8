package dev.recall.agent.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A method signature from the configuration file, with wildcards:
 * {@code com.acme.repo.*Repository#find*(..)}.
 *
 * <p>In the class part {@code *} matches within one package segment and {@code **} across segments; in
 * the method name {@code *} matches anything. {@code (..)} takes any parameters; otherwise parameter
 * types are written fully qualified ({@code java.lang.String}, {@code long}, {@code byte[]},
 * {@code com.acme.Outer$Inner}) or by simple name ({@code String}). Nested classes may be written with
 * {@code $} or {@code .}. Names are Java's: letters and digits of any script ({@code com.acme.café.Menü}).
 * Immutable.
 *
 * <p>Matching costs at most the name's length times the pattern's ({@link Glob}, never a backtracking
 * regular expression): the class part is tried on every class the application loads, and a pattern of many
 * stars must not cost exponential time on each. Patterns are at most {@link #MAX_LENGTH} characters.
 */
public final class MethodPattern {

    static final String FORM = "write Class#method(ParamTypes), for example "
            + "com.acme.fx.RatesClient#rate(java.lang.String, java.lang.String), or with wildcards "
            + "com.acme.repo.*Repository#find*(..)";

    /**
     * The longest pattern read. A class, a method and a few parameter types fit in a few hundred characters;
     * the bound keeps a damaged or hostile file from costing each class load more than a moment.
     */
    public static final int MAX_LENGTH = 1_000;

    private final String text;
    private final String className;
    private final Glob classGlob;
    private final Glob methodGlob;
    private final List<String> params;
    private final boolean exactClass;

    private MethodPattern(String text, String className, Glob classGlob, Glob methodGlob,
                          List<String> params, boolean exactClass) {
        this.text = text;
        this.className = className;
        this.classGlob = classGlob;
        this.methodGlob = methodGlob;
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
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a method pattern of " + s.length() + " characters is too long: at most "
                    + MAX_LENGTH + " are read (a class, a method and its parameter types); " + FORM);
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Characters.isInvisible(cp) || cp != ' ' && (Character.isWhitespace(cp) || Character.isSpaceChar(cp))) {
                throw new IllegalArgumentException("'" + s + "' contains " + Characters.describe(cp) + " at character "
                        + (s.codePointCount(0, i) + 1) + ", which no class or method name holds: delete it (retype the "
                        + "pattern); " + FORM);
            }
            i += Character.charCount(cp);
        }
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
        String bad = nameProblem(cls, true, true);
        if (bad != null) {
            throw new IllegalArgumentException("'" + cls + "' is not a class name" + bad + "; " + FORM);
        }
        bad = nameProblem(method, false, true);
        if (bad != null) {
            throw new IllegalArgumentException("'" + method + "' is not a method name" + bad + "; " + FORM);
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
                String element = type;
                while (element.endsWith("[]")) {
                    element = element.substring(0, element.length() - 2);
                }
                bad = nameProblem(element, true, false);
                if (bad != null) {
                    throw new IllegalArgumentException("'" + p.trim() + "' is not a parameter type" + bad + "; write types "
                            + "only, fully qualified or simple (java.lang.String, String, long, byte[]), or '(..)' for any");
                }
                list.add(normalize(type));
            }
            params = Collections.unmodifiableList(list);
        }
        String normalizedClass = normalize(cls);
        return new MethodPattern(s, normalizedClass, Glob.of(normalizedClass, true), Glob.of(method, false), params,
                !cls.contains("*"));
    }

    /**
     * Why {@code name} is not a Java name (dotted, if {@code dotted}; with wildcards, if {@code stars}), as
     * {@code ": ..."}; {@code null} if it is one. Java's rule decides: letters and digits of any script,
     * {@code _} and {@code $}, each part not starting with a digit.
     */
    private static String nameProblem(String name, boolean dotted, boolean stars) {
        if (name.isEmpty()) {
            return "";
        }
        int segmentStart = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int at = name.codePointCount(0, i) + 1;
            if (cp == '.' && dotted) {
                if (i == segmentStart) {
                    return ": it has an empty part before the '.' at character " + at;
                }
                segmentStart = i + 1;
            } else if (!(cp == '*' && stars)) {
                boolean ok = i == segmentStart ? Character.isJavaIdentifierStart(cp) : Character.isJavaIdentifierPart(cp);
                if (!ok) {
                    return cp < 0x7F ? ": '" + (char) cp + "' at character " + at + " is not allowed in a Java name"
                            : ": it contains " + Characters.describe(cp) + " at character " + at
                            + ", which Java does not allow " + (i == segmentStart ? "at the start of a name" : "in a name");
                }
            }
            i += Character.charCount(cp);
        }
        return dotted && segmentStart == name.length() ? ": it ends with '.'" : null;
    }

    private static String normalize(String typeName) {
        return typeName.replace('$', '.');
    }

    /** Whether a class (binary name, {@code com.acme.Outer$Inner}) is named by the class part. */
    public boolean matchesType(String binaryName) {
        return classGlob.matches(normalize(binaryName));
    }

    /**
     * Whether a method of a matching type is named by the method part.
     *
     * @param parameterTypes the parameter types as Java writes them ({@code java.lang.String[]})
     */
    public boolean matchesMethod(String name, List<String> parameterTypes) {
        if (!methodGlob.matches(name)) {
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

    /**
     * A wildcard pattern matched without backtracking: the set of pattern positions that a prefix of the name
     * can reach is carried along the name (a Thompson simulation), so a match costs at most the name's length
     * times the pattern's, whatever the stars. {@code *} in a class pattern stops at '.', {@code **} (or more
     * stars) does not; in a method pattern every {@code *} matches anything. Immutable.
     */
    static final class Glob {

        /** A token is a literal character (0 and up) or one of these. */
        private static final int STAR = -1;
        private static final int ANY = -2;

        /** The whole pattern when it has no wildcard, else {@code null}. */
        final String literal;
        private final int[] tokens;
        /** The literal text before the first wildcard and after the last: most names fail on these at once. */
        private final String prefix;
        private final String suffix;

        private Glob(String literal, int[] tokens, String prefix, String suffix) {
            this.literal = literal;
            this.tokens = tokens;
            this.prefix = prefix;
            this.suffix = suffix;
        }

        /** @param segments whether a single {@code *} stops at '.' (a class pattern) */
        static Glob of(String pattern, boolean segments) {
            if (pattern.indexOf('*') < 0) {
                return new Glob(pattern, null, pattern, "");
            }
            int[] tokens = new int[pattern.length()];
            int n = 0;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '*') {
                    int run = 1;
                    while (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                        i++;
                        run++;
                    }
                    tokens[n++] = run > 1 || !segments ? ANY : STAR;
                } else {
                    tokens[n++] = c;
                }
            }
            return new Glob(null, Arrays.copyOf(tokens, n), pattern.substring(0, pattern.indexOf('*')),
                    pattern.substring(pattern.lastIndexOf('*') + 1));
        }

        boolean matches(String name) {
            if (literal != null) {
                return literal.equals(name);
            }
            if (name.length() < prefix.length() + suffix.length() || !name.startsWith(prefix) || !name.endsWith(suffix)) {
                return false;
            }
            int m = tokens.length;
            boolean[] now = new boolean[m + 1];
            boolean[] next = new boolean[m + 1];
            now[0] = true;
            close(now);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean alive = false;
                Arrays.fill(next, false);
                for (int p = 0; p < m; p++) {
                    if (!now[p]) {
                        continue;
                    }
                    int t = tokens[p];
                    if (t == ANY || t == STAR && c != '.') {
                        next[p] = true;
                        alive = true;
                    } else if (t == c) {
                        next[p + 1] = true;
                        alive = true;
                    }
                }
                if (!alive) {
                    return false;
                }
                close(next);
                boolean[] swap = now;
                now = next;
                next = swap;
            }
            return now[m];
        }

        /** Adds the positions reached by letting each wildcard match nothing (left to right, so chains close). */
        private void close(boolean[] states) {
            for (int p = 0; p < tokens.length; p++) {
                if (states[p] && tokens[p] < 0) {
                    states[p + 1] = true;
                }
            }
        }
    }
}
