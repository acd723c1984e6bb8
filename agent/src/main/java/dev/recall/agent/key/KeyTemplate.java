package dev.recall.agent.key;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A key template compiled for one method: {@code "sku:{sku}:{currency}"} becomes a {@link KeyFunction}
 * that reads the arguments by index and never parses text per call. Immutable.
 */
public final class KeyTemplate {

    /** Checks a property path against the parameter's declared type when the class is loaded. */
    public interface PropertyCheck {
        /** @return {@code null} if {@code path} can be read from parameter {@code index}, else why not */
        String check(int index, List<String> path);
    }

    private final String text;
    private final KeyFunction function;
    private final Set<Integer> usedParameters;
    private final boolean singleArgument;

    /** The index of {@code {this}}: the receiver, not a parameter. */
    private static final int RECEIVER = -1;

    private final boolean usesReceiver;

    private KeyTemplate(String text, KeyFunction function, Set<Integer> usedParameters, boolean singleArgument,
                        boolean usesReceiver) {
        this.text = text;
        this.function = function;
        this.usedParameters = usedParameters;
        this.singleArgument = singleArgument;
        this.usesReceiver = usesReceiver;
    }

    /**
     * @param parameterNames the method's parameter names, an entry {@code null} where the class file has
     *     none; its size is the method's arity
     */
    public static KeyTemplate compile(String template, List<String> parameterNames, PropertyCheck check)
            throws TemplateException {
        int arity = parameterNames.size();
        String text = template == null ? "" : template.trim();
        if (text.isEmpty()) {
            Set<Integer> all = new TreeSet<>();
            for (int i = 0; i < arity; i++) {
                all.add(i);
            }
            return new KeyTemplate("", allArguments(arity), Set.copyOf(all), arity == 1, false);
        }
        List<TemplateParser.Part> parts = TemplateParser.parse(text);
        List<Reader> readers = new ArrayList<>();
        Set<Integer> used = new TreeSet<>();
        boolean receiver = false;
        for (TemplateParser.Part part : parts) {
            if (part.isLiteral()) {
                readers.add(new Reader(part.literal()));
                continue;
            }
            int index = resolve(text, part.root(), parameterNames);
            receiver |= index == RECEIVER;
            if (!part.path().isEmpty() && check != null && index != RECEIVER) {
                String problem = check.check(index, part.path());
                if (problem != null) {
                    throw new TemplateException("key template '" + text + "': " + problem);
                }
            }
            if (index != RECEIVER) {
                used.add(index);
            }
            readers.add(new Reader(arity, index, new PropertyPath(part.root() + "." + String.join(".", part.path()), part.path())));
        }
        KeyFunction f;
        boolean single = false;
        if (readers.size() == 1) {
            single = arity == 1 && readers.get(0).literal == null && readers.get(0).path == null;
            Reader only = readers.get(0);
            f = (self, a0, a1, args) -> Keys.of(only.read(self, a0, a1, args));
        } else {
            Reader[] all = readers.toArray(new Reader[0]);
            f = (self, a0, a1, args) -> {
                StringBuilder b = new StringBuilder(32);
                for (Reader r : all) {
                    if (r.literal != null) {
                        b.append(r.literal);
                    } else {
                        b.append(Keys.render(r.read(self, a0, a1, args)));
                    }
                }
                return b.toString();
            };
        }
        return new KeyTemplate(text, f, Set.copyOf(used), single, receiver);
    }

    private static KeyFunction allArguments(int arity) {
        if (arity == 0) {
            return (self, a0, a1, args) -> Keys.NO_ARGUMENTS;
        }
        if (arity == 1) {
            return (self, a0, a1, args) -> Keys.of(a0);
        }
        if (arity == 2) {
            return (self, a0, a1, args) -> Keys.ofArguments(a0, a1);
        }
        return (self, a0, a1, args) -> Keys.ofArguments(args);
    }

    /**
     * Whether the key is the only argument itself ({@code Keys.of(a0)}), which the hit path computes
     * without a call through the key function.
     */
    public boolean isSingleArgument() {
        return singleArgument;
    }

    private static int resolve(String template, String root, List<String> names) throws TemplateException {
        int arity = names.size();
        if (root.equals("this") && !names.contains("this")) {
            return RECEIVER;
        }
        if (root.chars().allMatch(Character::isDigit)) {
            // Compare as text first: a position too long for an int is out of range, not a crash.
            int index = root.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(root);
            if (index >= arity) {
                throw new TemplateException("key template '" + template + "' uses {" + root + "} but the method has "
                        + (arity == 0 ? "no parameters" : arity == 1 ? "one parameter, {0}" : arity + " parameters, {0} to {" + (arity - 1) + "}"));
            }
            return index;
        }
        int index = names.indexOf(root);
        if (index >= 0) {
            return index;
        }
        if (names.contains(null)) {
            throw new TemplateException("key template '" + template + "' names the parameter '" + root
                    + "' but the class file has no parameter names; compile with -parameters (or with debug information, javac -g), "
                    + "or write the position instead, like {0}");
        }
        throw new TemplateException("key template '" + template + "' names the parameter '" + root
                + "' but the method has " + (arity == 0 ? "no parameters" : "only " + String.join(", ", names))
                + "; write one of those names or a position like {0}");
    }

    public KeyFunction function() {
        return function;
    }

    /** Whether the template reads the receiver ({@code {this.field}}): it then names the state that matters. */
    public boolean usesReceiver() {
        return usesReceiver;
    }

    /** The parameter positions the key reads, to find the written value of a write method. */
    public Set<Integer> usedParameters() {
        return usedParameters;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "(all arguments)" : text;
    }

    /** One piece of a template: literal text, or an argument with an optional property path. */
    private static final class Reader {
        final String literal;
        final int arity;
        final int index;
        final PropertyPath path;

        Reader(String literal) {
            this.literal = literal;
            this.arity = 0;
            this.index = -1;
            this.path = null;
        }

        Reader(int arity, int index, PropertyPath path) {
            this.literal = null;
            this.arity = arity;
            this.index = index;
            this.path = path.isEmpty() ? null : path;
        }

        Object read(Object self, Object a0, Object a1, Object[] args) {
            if (literal != null) {
                return literal;
            }
            Object v = index == RECEIVER ? self : KeyFunction.argument(arity, index, a0, a1, args);
            return path == null ? v : path.read(v);
        }
    }
}
