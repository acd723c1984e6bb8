package dev.recall.agent.key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A key template compiled for one method: {@code "sku:{sku}:{currency}"} becomes a {@link KeyFunction}
 * that reads the arguments by index and never parses text per call. The key it builds is exact, never a
 * rendered String: the template's text cut at its placeholders ({@code "sku:", ":", ""}) with the values
 * read, each kept with its type ({@link Keys}). Immutable.
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

    /** How the values become the key; {@code null} for the empty template (all arguments). */
    private final Shape shape;

    /** For a key of some parameters only ({@link #ofParameters}), their positions; {@code null} otherwise. */
    private final int[] selected;

    private KeyTemplate(String text, KeyFunction function, Set<Integer> usedParameters, boolean singleArgument,
                        boolean usesReceiver, Shape shape) {
        this(text, function, usedParameters, singleArgument, usesReceiver, shape, null);
    }

    private KeyTemplate(String text, KeyFunction function, Set<Integer> usedParameters, boolean singleArgument,
                        boolean usesReceiver, Shape shape, int[] selected) {
        this.selected = selected;
        this.shape = shape;
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
            return new KeyTemplate("", allArguments(arity), Set.copyOf(all), arity == 1, false, null);
        }
        List<TemplateParser.Part> parts = TemplateParser.parse(text);
        List<Reader> readers = new ArrayList<>();
        List<String> shape = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        Set<Integer> used = new TreeSet<>();
        boolean receiver = false;
        for (TemplateParser.Part part : parts) {
            if (part.isLiteral()) {
                pending.append(part.literal());
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
            shape.add(pending.toString());
            pending.setLength(0);
            readers.add(new Reader(arity, index, new PropertyPath(part.root() + "." + String.join(".", part.path()), part.path()), part.path()));
        }
        shape.add(pending.toString());
        Reader[] all = readers.toArray(new Reader[0]);
        Shape s = new Shape(shape.toArray(new String[0]), all);
        boolean single = arity == 1 && s.kind == Shape.RAW && all[0].index == 0 && all[0].path == null;
        return new KeyTemplate(text, s.function(), Set.copyOf(used), single, receiver, s);
    }

    /**
     * How a template's values become its key: the value itself (one placeholder, no text), a constant (text
     * only), or a tuple of the text around the placeholders and the values ({@link Keys#ofTemplate}). The
     * key function and the keys built from text ({@link #keysRenderedAs}) both go through here, so they
     * agree.
     */
    private static final class Shape {
        static final int RAW = 0;
        static final int CONSTANT = 1;
        static final int ONE = 2;
        static final int MANY = 3;

        final String[] pieces;
        final int hash;
        final Reader[] readers;
        final int kind;
        final Object constant;

        Shape(String[] pieces, Reader[] readers) {
            this.pieces = pieces;
            this.hash = Arrays.hashCode(pieces);
            this.readers = readers;
            boolean textless = pieces.length == 2 && pieces[0].isEmpty() && pieces[1].isEmpty();
            this.kind = readers.length == 0 ? CONSTANT : readers.length == 1 ? (textless ? RAW : ONE) : MANY;
            this.constant = kind == CONSTANT ? Keys.ofTemplate(pieces, hash, new Object[0]) : null;
        }

        Object key(Object[] values) {
            return switch (kind) {
                case RAW -> Keys.of(values[0]);
                case CONSTANT -> constant;
                default -> Keys.ofTemplate(pieces, hash, values);
            };
        }

        KeyFunction function() {
            switch (kind) {
                case CONSTANT:
                    return (self, a0, a1, args) -> constant;
                case RAW: {
                    Reader only = readers[0];
                    return (self, a0, a1, args) -> Keys.of(only.read(self, a0, a1, args));
                }
                case ONE: {
                    Reader only = readers[0];
                    return (self, a0, a1, args) -> Keys.ofTemplate(pieces, hash, only.read(self, a0, a1, args));
                }
                case MANY:
                    if (readers.length == 2) {
                        Reader first = readers[0];
                        Reader second = readers[1];
                        return (self, a0, a1, args) -> Keys.ofTemplate(pieces, hash, first.read(self, a0, a1, args),
                                second.read(self, a0, a1, args));
                    }
                    // fall through: three placeholders or more
                default:
                    return (self, a0, a1, args) -> {
                        Object[] values = new Object[readers.length];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = readers[i].read(self, a0, a1, args);
                        }
                        return Keys.ofTemplate(pieces, hash, values);
                    };
            }
        }
    }

    /**
     * The key of the parameters at {@code indices} (ascending) of a method with {@code arity} parameters, built as
     * the all-arguments key of a method that had only those parameters: JSR-107's key of the {@code @CacheKey}
     * parameters, so that methods naming one cache find each other's entries whatever their other parameters.
     */
    public static KeyTemplate ofParameters(int arity, int[] indices) {
        Set<Integer> used = new TreeSet<>();
        for (int i : indices) {
            used.add(i);
        }
        boolean all = indices.length == arity;
        String text = all ? "" : "(parameters " + used + ")";
        KeyFunction f;
        if (all) {
            f = allArguments(arity);
        } else if (indices.length == 0) {
            f = (self, a0, a1, args) -> Keys.NO_ARGUMENTS;
        } else if (indices.length == 1) {
            int only = indices[0];
            f = (self, a0, a1, args) -> Keys.of(KeyFunction.argument(arity, only, a0, a1, args));
        } else if (indices.length == 2) {
            int first = indices[0];
            int second = indices[1];
            f = (self, a0, a1, args) -> Keys.ofArguments(KeyFunction.argument(arity, first, a0, a1, args),
                    KeyFunction.argument(arity, second, a0, a1, args));
        } else {
            int[] at = indices.clone();
            f = (self, a0, a1, args) -> {
                Object[] values = new Object[at.length];
                for (int i = 0; i < at.length; i++) {
                    values[i] = args[at[i]];
                }
                return Keys.ofArguments(values);
            };
        }
        return new KeyTemplate(text, f, Set.copyOf(used), all && arity == 1, false, null, all ? null : indices.clone());
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

    /**
     * The keys that render as {@code rendered} (what an operator types to invalidate one over JMX): the
     * text cut at the template's literal pieces, each cut read as its placeholder's type; several when the
     * text can be cut or read several ways, none when it cannot be read at all (see {@link RenderedKeys}).
     *
     * @param parameterTypes the method's declared parameter types, an entry {@code null} where unknown
     * @param receiverType the class the method is declared in, for {@code {this...}}; {@code null} if unknown
     */
    public List<Object> keysRenderedAs(String rendered, Class<?>[] parameterTypes, Class<?> receiverType) {
        if (selected != null) {
            // A key of some parameters renders as the all-arguments key of a method with only those.
            Class<?>[] types = new Class<?>[selected.length];
            for (int i = 0; i < selected.length; i++) {
                types[i] = selected[i] < parameterTypes.length ? parameterTypes[selected[i]] : null;
            }
            parameterTypes = types;
        }
        if (shape == null) {
            int arity = parameterTypes.length;
            if (arity == 0) {
                return rendered.equals(Keys.NO_ARGUMENTS.toString()) ? List.of(Keys.NO_ARGUMENTS) : List.of();
            }
            String[] pieces = new String[arity + 1];
            Arrays.fill(pieces, ",");
            pieces[0] = "";
            pieces[arity] = "";
            return RenderedKeys.of(rendered, pieces, parameterTypes, v -> arity == 1 ? Keys.of(v[0]) : Keys.ofArguments(v));
        }
        Class<?>[] types = new Class<?>[shape.readers.length];
        for (int i = 0; i < types.length; i++) {
            Reader r = shape.readers[i];
            Class<?> root = r.index == RECEIVER ? receiverType : r.index < parameterTypes.length ? parameterTypes[r.index] : null;
            types[i] = root == null ? null : RenderedKeys.typeOf(root, r.steps);
        }
        return RenderedKeys.of(rendered, shape.pieces, types, shape::key);
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

    /** One placeholder of a template: an argument (or the receiver) with an optional property path. */
    private static final class Reader {
        final int arity;
        final int index;
        final PropertyPath path;
        final List<String> steps;

        Reader(int arity, int index, PropertyPath path, List<String> steps) {
            this.arity = arity;
            this.index = index;
            this.steps = List.copyOf(steps);
            this.path = path.isEmpty() ? null : path;
        }

        Object read(Object self, Object a0, Object a1, Object[] args) {
            Object v = index == RECEIVER ? self : KeyFunction.argument(arity, index, a0, a1, args);
            return path == null ? v : path.read(v);
        }
    }
}
