package dev.recall.agent.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The classes a cached value may name, from the {@code redis.allowClasses} patterns. Patterns match
 * binary class names: {@code **} stands for any number of segments (so {@code com.acme.**} covers
 * sub-packages and nested classes, {@code com.acme.Outer$Inner}), {@code *} for part or all of one
 * segment ({@code com.acme.model.*Dto}), and a name without wildcards for that class only (nested
 * classes are written with {@code $}). The JDK value types the codec supports are always allowed.
 *
 * <p>Allowing a class lets the codec load it, which loads its superclasses and the types of its fields,
 * and create instances, which initializes its superclasses as well, as any use of the class would.
 * Names not allowed never reach a class loader.
 *
 * <p>Immutable apart from a bounded memo of answers, and safe to share between threads.
 */
public final class ClassAllowlist {

    /** Decoded payloads choose the names asked about; a bound keeps garbage from growing the memo. */
    private static final int MEMO_LIMIT = 4096;

    private final List<String> patterns;
    private final Pattern regex;
    private final ConcurrentHashMap<String, Boolean> memo = new ConcurrentHashMap<>();

    private ClassAllowlist(List<String> patterns, Pattern regex) {
        this.patterns = patterns;
        this.regex = regex;
    }

    /**
     * @param patterns as written under {@code redis.allowClasses}; may be empty (only JDK value types)
     * @throws IllegalArgumentException naming the first malformed pattern and what to write instead
     */
    public static ClassAllowlist of(List<String> patterns) {
        if (patterns == null) {
            throw new IllegalArgumentException("allowClasses must be a list of class patterns, for example [com.acme.model.**]");
        }
        List<String> texts = new ArrayList<>();
        StringBuilder union = new StringBuilder();
        for (String p : patterns) {
            String text = p == null ? "" : p.trim();
            String re = toRegex(text);
            texts.add(text);
            union.append(union.length() == 0 ? "" : "|").append("(?:").append(re).append(')');
        }
        return new ClassAllowlist(Collections.unmodifiableList(texts), union.length() == 0 ? null : Pattern.compile(union.toString()));
    }

    /** Whether a cached value may hold instances of the class with this binary name. */
    boolean allows(String className) {
        if (JdkTypes.alwaysAllowed(className)) {
            return true;
        }
        if (regex == null) {
            return false;
        }
        Boolean known = memo.get(className);
        if (known != null) {
            return known;
        }
        boolean allowed = regex.matcher(className).matches();
        if (memo.size() < MEMO_LIMIT) {
            memo.put(className, allowed);
        }
        return allowed;
    }

    /** The patterns, trimmed, in their given order. */
    List<String> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return "allowClasses: " + patterns;
    }

    private static String toRegex(String text) {
        if (text.isEmpty()) {
            throw invalid(text, "is empty");
        }
        String[] segments = text.split("\\.", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            if (seg.isEmpty()) {
                throw invalid(text, "has an empty segment (two dots in a row, or a dot at either end)");
            }
            if (i == 0 && seg.indexOf('*') >= 0) {
                // A leading wildcard would let payloads name JDK and library classes nobody meant to allow.
                throw invalid(text, "starts with a wildcard; start with a package name, for example com.acme.**");
            }
            for (int c = 0; c < seg.length(); c++) {
                char ch = seg.charAt(c);
                if (ch != '*' && !Character.isJavaIdentifierPart(ch)) {
                    throw invalid(text, "contains '" + ch + "', which cannot appear in a class name");
                }
            }
            if (seg.equals("**")) {
                re.append(i == segments.length - 1 ? "(?:\\.[^.]+)+" : "(?:\\.[^.]+)*");
                continue;
            }
            if (seg.contains("**")) {
                throw invalid(text, "uses '**' inside a segment; '**' must stand alone between dots, as in com.acme.**");
            }
            if (i > 0) {
                re.append("\\.");
            }
            re.append(seg.equals("*") ? "[^.]+" : segmentRegex(seg));
        }
        return re.toString();
    }

    private static String segmentRegex(String seg) {
        StringBuilder re = new StringBuilder();
        int from = 0;
        for (int star = seg.indexOf('*'); star >= 0; star = seg.indexOf('*', from)) {
            re.append(Pattern.quote(seg.substring(from, star))).append("[^.]*");
            from = star + 1;
        }
        return re.append(Pattern.quote(seg.substring(from))).toString();
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("allowClasses pattern '" + text + "' " + problem
                + "; write a class name (com.acme.model.Product, nested classes with $), a package with ** for it and"
                + " its sub-packages (com.acme.model.**), or * within one segment (com.acme.model.*Dto)");
    }
}
