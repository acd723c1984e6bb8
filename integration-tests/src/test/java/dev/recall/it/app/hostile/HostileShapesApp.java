package dev.recall.it.app.hostile;

import dev.recall.CacheEvict;
import dev.recall.CacheValue;
import dev.recall.Cached;
import dev.recall.Strategy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * HostileShapesIT's application: a seeded sequence of calls to cached methods of shapes a cache finds hard
 * (arrays, nested generics, mutable beans, enums with bodies, inner and anonymous classes, lambdas, default
 * methods, varargs, boxes, BigDecimal scales, strings with separators and lone surrogates, Optional, records with
 * non-idempotent compact constructors, cycles, odd equals, mutable keys, results the caller mutates, nulls,
 * exceptions, mutual recursion, threads, read-through/cache-aside/write-through/evict over a "database").
 *
 * <p>Every method is a deterministic function of its arguments (and of explicit writes that go through an evict
 * or write-through rule), so the run without the agent and the run with it must print the same lines. Each call
 * prints {@code call|seq|shape|what|digest}, the digest being a deep form of the result: classes, values, and
 * identity relations inside the result graph ({@code #n} a first visit, {@code @n} the same object again).
 * Args: seed, steps.
 */
public final class HostileShapesApp {

    private HostileShapesApp() {
    }

    // ------------------------------------------------------------------ harness

    interface Shape {
        void step(Random r) throws Exception;

        /** Shapes whose differences may be a documented limit of the contract rather than a defect. */
        default boolean grey() {
            return false;
        }
    }

    static int seq;
    static final Map<String, Integer> CALLS = new TreeMap<>();

    static String shapeOf(Object shape) {
        return shape.getClass().getSimpleName();
    }

    static void call(Object shape, String what, Callable<?> body) {
        String d;
        try {
            d = deep(body.call());
        } catch (Throwable t) {
            d = "threw " + t.getClass().getName() + ": " + esc(String.valueOf(t.getMessage()));
        }
        CALLS.merge(shapeOf(shape), 1, Integer::sum);
        System.out.println("call|" + (seq++) + "|" + shapeOf(shape) + "|" + esc(what) + "|" + d);
    }

    /** An observation after the call (a mutation, an identity check): compared like a call, not counted as one. */
    static void see(Object shape, String what, Callable<?> body) {
        String d;
        try {
            d = deep(body.call());
        } catch (Throwable t) {
            d = "threw " + t.getClass().getName() + ": " + esc(String.valueOf(t.getMessage()));
        }
        System.out.println("call|" + (seq++) + "|" + shapeOf(shape) + "|" + esc(what) + "|" + d);
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e || ch == '|' || ch == '\\') {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    static String deep(Object o) {
        StringBuilder sb = new StringBuilder();
        deep(o, sb, new IdentityHashMap<>(), 0);
        return sb.toString();
    }

    private static void deep(Object o, StringBuilder sb, IdentityHashMap<Object, Integer> seen, int depth) {
        if (o == null) {
            sb.append("null");
            return;
        }
        if (depth > 80) {
            sb.append("...");
            return;
        }
        Class<?> c = o.getClass();
        if (o instanceof String s) {
            sb.append('"').append(esc(s)).append('"');
            return;
        }
        if (o instanceof BigDecimal b) {
            sb.append("BD:").append(b).append("/s").append(b.scale());
            return;
        }
        if (o instanceof Double d) {
            sb.append("D:").append(d).append('/').append(Long.toHexString(Double.doubleToRawLongBits(d)));
            return;
        }
        if (o instanceof Float f) {
            sb.append("F:").append(f).append('/').append(Integer.toHexString(Float.floatToRawIntBits(f)));
            return;
        }
        if (o instanceof Number || o instanceof Boolean || o instanceof Character) {
            sb.append(c.getSimpleName()).append(':').append(esc(String.valueOf(o)));
            return;
        }
        if (o instanceof Enum<?> e) {
            sb.append(e.getDeclaringClass().getSimpleName()).append('.').append(e.name()).append('(').append(name(c))
                    .append(')');
            return;
        }
        if (o instanceof Class<?> k) {
            sb.append("class ").append(k.getName());
            return;
        }
        if (c.isHidden() || c.isSynthetic()) {
            sb.append("<lambda>");
            return;
        }
        if (c == Object.class) {
            sb.append("<Object>");
            return;
        }
        Integer id = seen.get(o);
        if (id != null) {
            sb.append('@').append(id);
            return;
        }
        seen.put(o, seen.size());
        sb.append('#').append(seen.size() - 1).append(' ').append(name(c));
        if (c.isArray()) {
            sb.append('[');
            for (int i = 0; i < Array.getLength(o); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                deep(Array.get(o, i), sb, seen, depth + 1);
            }
            sb.append(']');
            return;
        }
        if (o instanceof Map<?, ?> m) {
            if (m instanceof SortedMap<?, ?> sm) {
                sb.append(" cmp=").append(cmp(sm.comparator()));
            }
            sb.append('{');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                deep(e.getKey(), sb, seen, depth + 1);
                sb.append('=');
                deep(e.getValue(), sb, seen, depth + 1);
                sb.append(';');
            }
            sb.append('}');
            appFields(o, c, sb, seen, depth);
            return;
        }
        if (o instanceof Collection<?> col) {
            if (col instanceof SortedSet<?> ss) {
                sb.append(" cmp=").append(cmp(ss.comparator()));
            }
            if (col instanceof PriorityQueue<?> pq) {
                sb.append(" cmp=").append(cmp(pq.comparator()));
            }
            sb.append('[');
            for (Object e : col) {
                deep(e, sb, seen, depth + 1);
                sb.append(';');
            }
            sb.append(']');
            appFields(o, c, sb, seen, depth);
            return;
        }
        if (o instanceof Optional<?> op) {
            sb.append('(');
            deep(op.orElse(null), sb, seen, depth + 1);
            sb.append(')');
            return;
        }
        String n = c.getName();
        if (n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")) {
            sb.append('<').append(esc(String.valueOf(o))).append('>');
            return;
        }
        sb.append('{');
        appFields(o, c, sb, seen, depth);
        sb.append('}');
    }

    private static void appFields(Object o, Class<?> c, StringBuilder sb, IdentityHashMap<Object, Integer> seen, int depth) {
        for (Class<?> k = c; k != null && !k.getName().startsWith("java."); k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    sb.append(f.getName()).append('=');
                    deep(f.get(o), sb, seen, depth + 1);
                    sb.append(';');
                } catch (Exception e) {
                    sb.append("<unreadable>");
                }
            }
        }
    }

    private static String cmp(Comparator<?> c) {
        if (c == null) {
            return "natural";
        }
        return c.getClass().isHidden() || c.getClass().isSynthetic() ? "<lambda>" : c.getClass().getName();
    }

    private static String name(Class<?> c) {
        return c.isHidden() ? "<hidden>" : c.getName();
    }

    static <T> T pick(Random r, List<T> xs) {
        return xs.get(r.nextInt(xs.size()));
    }

    // ------------------------------------------------------------------ shared beans

    /** A mutable bean with a hashCode of its state, as entities are written. */
    public static class Bean {
        String name;
        int qty;
        List<String> tags = new ArrayList<>();
        Bean parent;

        Bean(String name, int qty) {
            this.name = name;
            this.qty = qty;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bean b && b.name.equals(name) && b.qty == qty && b.tags.equals(tags);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, qty, tags);
        }
    }

    // ------------------------------------------------------------------ S01 arrays

    static final class S01_Arrays implements Shape {
        @Cached
        static int[] squares(int[] xs) {
            int[] out = new int[xs.length];
            for (int i = 0; i < xs.length; i++) {
                out[i] = xs[i] * xs[i];
            }
            return out;
        }

        /** Rows 0 and 2 are the same array: a copy must keep that. */
        @Cached
        static int[][] grid(int n) {
            int[] shared = new int[n];
            Arrays.fill(shared, n);
            return new int[][] {shared, new int[] {n + 1}, shared};
        }

        @Cached
        static String joinChars(char[] cs, boolean[] flags) {
            return new String(cs) + Arrays.toString(flags);
        }

        @Override
        public void step(Random r) {
            int k = r.nextInt(4);
            int[] xs = new int[k];
            for (int i = 0; i < k; i++) {
                xs[i] = i + k;
            }
            int[][] holder = new int[1][];
            call(this, "squares" + Arrays.toString(xs), () -> holder[0] = squares(xs));
            if (holder[0].length > 0) {
                holder[0][0] = -7;
            }
            if (xs.length > 0) {
                xs[0] = 1000;
                call(this, "squares(mutated arg)" + Arrays.toString(xs), () -> squares(xs));
            }
            int n = 1 + r.nextInt(3);
            int[][][] g = new int[1][][];
            call(this, "grid" + n, () -> g[0] = grid(n));
            see(this, "grid rows 0 and 2 same", () -> g[0][0] == g[0][2]);
            g[0][0][0] = 99;
            see(this, "grid after caller wrote row 0", () -> g[0]);
            char[] cs = pick(r, List.of("ab", "a\u0000", "\u00e9", "")).toCharArray();
            boolean[] flags = new boolean[r.nextInt(3)];
            call(this, "joinChars", () -> joinChars(cs, flags));
        }
    }

    // ------------------------------------------------------------------ S02 nested generics

    static final class S02_NestedGenerics implements Shape {
        @Cached
        static Map<String, List<Set<Integer>>> groups(List<String> words) {
            Map<String, List<Set<Integer>>> m = new TreeMap<>();
            for (String w : words) {
                String k = w.isEmpty() ? "" : w.substring(0, 1);
                List<Set<Integer>> l = m.computeIfAbsent(k, x -> new ArrayList<>());
                Set<Integer> s = new TreeSet<>(Comparator.reverseOrder());
                s.add(w.length());
                s.add(w.hashCode() % 7);
                l.add(s);
            }
            return m;
        }

        @Override
        public void step(Random r) {
            List<String> words = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                words.add(pick(r, List.of("apple", "avocado", "banana", "", "b")));
            }
            @SuppressWarnings("unchecked")
            Map<String, List<Set<Integer>>>[] res = new Map[1];
            call(this, "groups" + words, () -> res[0] = groups(words));
            if (!res[0].isEmpty()) {
                res[0].values().iterator().next().get(0).add(999);
                res[0].put("zzz", new ArrayList<>());
            }
            see(this, "after caller mutated", () -> res[0]);
        }
    }

    // ------------------------------------------------------------------ S03 mutable beans

    static final class S03_MutableBeans implements Shape {
        @Cached
        static List<Bean> beans(int n) {
            List<Bean> l = new ArrayList<>();
            Bean root = new Bean("root" + n, n);
            for (int i = 0; i < n; i++) {
                Bean b = new Bean("b" + i, i * n);
                b.parent = root;
                b.tags.add("t" + i);
                l.add(b);
            }
            if (!l.isEmpty()) {
                l.add(l.get(0));
            }
            return l;
        }

        @Cached
        static int totalQty(List<Bean> bs) {
            int t = 0;
            for (Bean b : bs) {
                t += b.qty;
            }
            return t;
        }

        @Override
        public void step(Random r) {
            int n = r.nextInt(4);
            @SuppressWarnings("unchecked")
            List<Bean>[] res = new List[1];
            call(this, "beans" + n, () -> res[0] = beans(n));
            if (!res[0].isEmpty()) {
                see(this, "first and last same", () -> res[0].get(0) == res[0].get(res[0].size() - 1));
                res[0].get(0).qty += 100;
                res[0].get(0).tags.add("mut");
                res[0].get(0).parent.name = "renamed";
            }
            see(this, "after caller mutated", () -> res[0]);
            List<Bean> arg = new ArrayList<>();
            for (int i = 0; i < r.nextInt(3); i++) {
                arg.add(new Bean("x", r.nextInt(3)));
            }
            call(this, "totalQty", () -> totalQty(arg));
            if (!arg.isEmpty()) {
                arg.get(0).qty += 5;
                call(this, "totalQty(after arg bean mutated)", () -> totalQty(arg));
            }
        }
    }

    // ------------------------------------------------------------------ S04 enums with bodies

    public enum Op {
        PLUS("+") {
            @Override
            int apply(int a, int b) {
                return a + b;
            }
        },
        TIMES("*") {
            @Override
            int apply(int a, int b) {
                return a * b;
            }
        },
        MINUS("-") {
            @Override
            int apply(int a, int b) {
                return a - b;
            }
        };

        final String sym;

        Op(String sym) {
            this.sym = sym;
        }

        abstract int apply(int a, int b);
    }

    static final class S04_EnumBodies implements Shape {
        @Cached
        static Op op(String sym) {
            for (Op o : Op.values()) {
                if (o.sym.equals(sym)) {
                    return o;
                }
            }
            return null;
        }

        @Cached
        static int apply(Op op, int a, int b) {
            return op.apply(a, b);
        }

        @Cached
        static EnumMap<Op, Integer> table(int a, int b) {
            EnumMap<Op, Integer> m = new EnumMap<>(Op.class);
            for (Op o : Op.values()) {
                m.put(o, o.apply(a, b));
            }
            return m;
        }

        @Cached
        static EnumSet<Op> positive(int a, int b) {
            EnumSet<Op> s = EnumSet.noneOf(Op.class);
            for (Op o : Op.values()) {
                if (o.apply(a, b) > 0) {
                    s.add(o);
                }
            }
            return s;
        }

        @Override
        public void step(Random r) {
            String sym = pick(r, List.of("+", "*", "-", "/"));
            Op[] got = new Op[1];
            call(this, "op " + sym, () -> got[0] = op(sym));
            see(this, "op identity", () -> got[0] == null ? null : got[0] == Op.valueOf(got[0].name()));
            int a = r.nextInt(4);
            int b = r.nextInt(4) - 2;
            Op o = pick(r, List.of(Op.values()));
            call(this, "apply " + o + a + "," + b, () -> apply(o, a, b));
            @SuppressWarnings("unchecked")
            EnumMap<Op, Integer>[] t = new EnumMap[1];
            call(this, "table " + a + "," + b, () -> t[0] = table(a, b));
            t[0].put(Op.PLUS, -1);
            call(this, "positive " + a + "," + b, () -> positive(a, b));
        }
    }

    // ------------------------------------------------------------------ S05 inner classes

    public static final class S05_Outer implements Shape {
        final int base;

        S05_Outer(int base) {
            this.base = base;
        }

        S05_Outer() {
            this(0);
        }

        public class Inner {
            int v;

            Inner(int v) {
                this.v = v;
            }

            S05_Outer outer() {
                return S05_Outer.this;
            }

            int total() {
                return base + v;
            }
        }

        @Cached
        public Inner make(int v) {
            return new Inner(v);
        }

        @Override
        public void step(Random r) {
            S05_Outer outer = pick(r, List.of(A, B));
            int v = r.nextInt(3);
            Inner[] in = new Inner[1];
            call(this, "make " + outer.base + "/" + v, () -> (in[0] = outer.make(v)).total());
            see(this, "inner's outer is the receiver", () -> in[0].outer() == outer);
            in[0].v += 10;
            call(this, "make again " + outer.base + "/" + v, () -> outer.make(v).total());
        }

        static final S05_Outer A = new S05_Outer(1);
        static final S05_Outer B = new S05_Outer(100);
    }

    // ------------------------------------------------------------------ S06 lambdas and anonymous classes

    static final class S06_Lambdas implements Shape {
        @Cached
        static Supplier<String> greeter(String name) {
            return () -> "hi " + name;
        }

        @Cached
        static Comparator<String> comparator(boolean reverse) {
            return new Comparator<String>() {
                @Override
                public int compare(String a, String b) {
                    return reverse ? b.compareTo(a) : a.compareTo(b);
                }
            };
        }

        /** A function argument: two lambdas of one call site differ only in what they captured. */
        @Cached
        static String applyFn(Function<Integer, Integer> f, int x) {
            return "f(" + x + ")=" + f.apply(x);
        }

        @Override
        public void step(Random r) {
            String who = pick(r, List.of("ann", "bob"));
            call(this, "greeter " + who, () -> greeter(who).get());
            boolean rev = r.nextBoolean();
            call(this, "comparator " + rev, () -> comparator(rev).compare("a", "b"));
            int k = r.nextInt(4);
            int x = r.nextInt(3);
            Function<Integer, Integer> f = y -> y * k + 1;
            call(this, "applyFn k=" + k + " x=" + x, () -> applyFn(f, x));
            int m = r.nextInt(3);
            Function<Integer, Integer> anon = new Function<>() {
                @Override
                public Integer apply(Integer y) {
                    return y - m;
                }
            };
            call(this, "applyFn anon m=" + m + " x=" + x, () -> applyFn(anon, x));
        }
    }

    // ------------------------------------------------------------------ S07 default interface methods

    public interface S07_Greeter {
        String prefix();

        @Cached
        default String greet(String who) {
            return prefix() + ", " + who;
        }
    }

    /** Two implementations with no fields at all: the class is the only state that tells them apart. */
    public static final class S07_English implements S07_Greeter {
        @Override
        public String prefix() {
            return "Hello";
        }
    }

    public static final class S07_French implements S07_Greeter {
        @Override
        public String prefix() {
            return "Bonjour";
        }
    }

    public record S07_Custom(String p) implements S07_Greeter {
        @Override
        public String prefix() {
            return p;
        }
    }

    static final class S07_DefaultMethods implements Shape {
        @Override
        public void step(Random r) {
            S07_Greeter g = pick(r, List.of(new S07_English(), new S07_French(), new S07_Custom("Hi"),
                    new S07_Custom("Yo"), (S07_Greeter) () -> "Lambda"));
            String who = pick(r, List.of("ann", "bob"));
            call(this, g.prefix() + " greets " + who, () -> g.greet(who));
        }
    }

    // ------------------------------------------------------------------ S08 varargs

    static final class S08_Varargs implements Shape {
        @Cached
        static String join(String sep, String... parts) {
            if (parts == null) {
                return "<null array>";
            }
            StringBuilder sb = new StringBuilder("n=" + parts.length + ":");
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    sb.append(sep);
                }
                sb.append(parts[i]);
            }
            return sb.toString();
        }

        @Cached
        static String objects(Object... xs) {
            return xs == null ? "null" : xs.length + Arrays.deepToString(xs);
        }

        @Override
        public void step(Random r) {
            String sep = pick(r, Arrays.asList(",", ", ", null, ""));
            int v = r.nextInt(6);
            String[] parts = switch (v) {
                case 0 -> null;
                case 1 -> new String[0];
                case 2 -> new String[] {"a", "b"};
                case 3 -> new String[] {"a,b"};
                case 4 -> new String[] {null, "x"};
                default -> new String[] {"a", ",b"};
            };
            call(this, "join sep=" + sep + " v=" + v, () -> join(sep, parts));
            if (parts != null && parts.length > 0) {
                parts[0] = "changed";
                call(this, "join after caller changed the array", () -> join(sep, parts));
            }
            int w = r.nextInt(4);
            call(this, "objects v=" + w, () -> switch (w) {
                case 0 -> objects((Object[]) null);
                case 1 -> objects((Object) null);
                case 2 -> objects(1, 1L, "1");
                default -> objects(new int[] {1}, List.of(1));
            });
        }
    }

    // ------------------------------------------------------------------ S09 boxes, primitives, equal-but-different

    static final class S09_Boxes implements Shape {
        @Cached
        static String kind(Object o) {
            if (o == null) {
                return "null";
            }
            String v = o.getClass().isArray() ? Arrays.deepToString(new Object[] {o}) : String.valueOf(o);
            return o.getClass().getName() + ":" + v;
        }

        @Cached
        static String kind(int i) {
            return "int:" + i;
        }

        @Cached
        static String kind(long l) {
            return "long:" + l;
        }

        @Cached
        static String kind(Integer i) {
            return "Integer:" + i;
        }

        /** The raw bits of a double: -0.0 and 0.0 differ, and NaNs of different payloads differ. */
        @Cached
        static long bits(double d) {
            return Double.doubleToRawLongBits(d);
        }

        @Cached
        static double half(double d) {
            return d / 2;
        }

        @Cached
        static int floatSign(float f) {
            return Float.floatToRawIntBits(f) >>> 31;
        }

        @Cached
        static String prims(byte b, short s, char c, float f, boolean z) {
            return b + "/" + s + "/" + (int) c + "/" + f + "/" + z;
        }

        static final List<Supplier<Object>> VALUES = List.of(() -> 1, () -> 1L, () -> (short) 1, () -> (byte) 1,
                () -> 1.0, () -> 1.0f, () -> '1', () -> "1", () -> true, () -> 0.0, () -> -0.0, () -> 0.0f,
                () -> -0.0f, () -> new int[] {1, 2}, () -> new long[] {1, 2}, () -> new Integer[] {1, 2},
                () -> new ArrayList<>(List.of(1, 2)), () -> new LinkedList<>(List.of(1, 2)), () -> List.of(1, 2),
                () -> Arrays.asList(1, 2), () -> "[1, 2]", () -> new HashSet<>(List.of(1, 2)),
                () -> new TreeSet<>(List.of(1, 2)), () -> new HashMap<>(Map.of(1, 2)), () -> new TreeMap<>(Map.of(1, 2)),
                () -> BigInteger.ONE, () -> new BigDecimal("1"), () -> new StringBuilder("1"), () -> null,
                () -> Optional.of(1), () -> Optional.of(1L), () -> Op.PLUS, () -> List.of(), () -> new ArrayList<>(),
                () -> Collections.emptyList(), () -> Set.of(), () -> new java.sql.Timestamp(0), () -> new Date(0));

        @Override
        public void step(Random r) {
            int i = r.nextInt(VALUES.size());
            Object o = VALUES.get(i).get();
            call(this, "kind value#" + i, () -> kind(o));
            int n = r.nextInt(3);
            call(this, "kind(int)" + n, () -> kind(n));
            call(this, "kind(long)" + n, () -> kind((long) n));
            call(this, "kind(Integer)" + n, () -> kind(Integer.valueOf(n)));
            double d = pick(r, List.of(0.0, -0.0, 1e-320, Double.MIN_VALUE, Double.NEGATIVE_INFINITY));
            call(this, "bits " + Long.toHexString(Double.doubleToRawLongBits(d)), () -> bits(d));
            call(this, "half " + Long.toHexString(Double.doubleToRawLongBits(d)), () -> half(d));
            float f = pick(r, List.of(0.0f, -0.0f, Float.NaN));
            call(this, "floatSign " + Integer.toHexString(Float.floatToRawIntBits(f)), () -> floatSign(f));
            byte b = (byte) (r.nextInt(3) - 1);
            call(this, "prims " + b, () -> prims(b, (short) (b * 300), (char) (b + 0xffff), b / 3f, b > 0));
        }
    }

    /**
     * NaNs with different payloads: Double.equals calls them equal, their raw bits differ. Grey: few applications
     * look at NaN payloads, but a key by Double.equals answers one payload's call with another's result.
     */
    static final class S09b_NaNPayloads implements Shape {
        @Cached
        static long nanBits(double d) {
            return Double.doubleToRawLongBits(d);
        }

        @Override
        public void step(Random r) {
            double d = pick(r, List.of(Double.NaN, Double.longBitsToDouble(0x7ff8000000000001L),
                    Double.longBitsToDouble(0xfff8000000000000L)));
            call(this, "nanBits " + Long.toHexString(Double.doubleToRawLongBits(d)), () -> nanBits(d));
        }

        @Override
        public boolean grey() {
            return true;
        }
    }

    // ------------------------------------------------------------------ S10 BigDecimal scales

    static final class S10_BigDecimal implements Shape {
        @Cached
        static String scaleOf(BigDecimal x) {
            return x + "|" + x.scale() + "|" + x.precision() + "|" + x.stripTrailingZeros().toPlainString();
        }

        @Cached
        static BigDecimal add(BigDecimal a, BigDecimal b) {
            return a.add(b);
        }

        @Cached
        static BigDecimal[] split(BigDecimal total, int parts) {
            BigDecimal[] out = new BigDecimal[parts];
            for (int i = 0; i < parts; i++) {
                out[i] = total.divide(BigDecimal.valueOf(parts), total.scale() + 2, java.math.RoundingMode.HALF_EVEN);
            }
            return out;
        }

        static final List<String> POOL = List.of("1", "1.0", "1.00", "1E+2", "100", "0", "0.00", "-0", "0E-10",
                "123456789012345678901234567890.1");

        @Override
        public void step(Random r) {
            BigDecimal a = new BigDecimal(pick(r, POOL));
            BigDecimal b = new BigDecimal(pick(r, POOL));
            call(this, "scaleOf " + a, () -> scaleOf(a));
            call(this, "add " + a + " " + b, () -> add(a, b));
            int p = 1 + r.nextInt(3);
            call(this, "split " + a + " " + p, () -> split(a, p));
        }
    }

    // ------------------------------------------------------------------ S11 strings

    static final class S11_Strings implements Shape {
        @Cached
        static String pair(String a, String b) {
            return a + "|" + b + "|" + (a == null ? -1 : a.length()) + "|" + (b == null ? -1 : b.length());
        }

        @Cached
        static int code(String s) {
            return s.isEmpty() ? -1 : s.codePointAt(0) * 31 + s.length();
        }

        static final List<String> POOL = Arrays.asList("a:b", "c", "a", "b:c", "", null, "a\u0000b", "a\u0000",
                "\u00e9", "e\u0301", "\ud800", "\udbff", "\udfff", "\ud83d\ude00", "Aa", "BB", "a,b", "a\\", "\\:",
                "null", "\uFEFF", "a\u200Bb", "ab");

        @Override
        public void step(Random r) {
            String a = pick(r, POOL);
            String b = pick(r, POOL);
            call(this, "pair " + a + " / " + b, () -> pair(a, b));
            String s = pick(r, POOL);
            if (s != null) {
                call(this, "code " + s, () -> code(s));
            }
        }
    }

    /** The user's template puts its own separator between two free strings: "a:b"+"c" and "a"+"b:c" meet. */
    static final class S11b_TemplateKeys implements Shape {
        @Cached(key = "{a}:{b}")
        static String templ(String a, String b) {
            return a + "|" + b;
        }

        @Override
        public void step(Random r) {
            String a = pick(r, List.of("a:b", "a", "x"));
            String b = pick(r, List.of("c", "b:c", "y"));
            call(this, "templ " + a + " / " + b, () -> templ(a, b));
        }

        @Override
        public boolean grey() {
            return true;
        }
    }

    // ------------------------------------------------------------------ S12 Optional

    static final class S12_Optional implements Shape {
        @Cached
        static Optional<String> find(String id) {
            return id.startsWith("x") ? Optional.empty() : Optional.of("found " + id);
        }

        @Cached
        static Optional<List<String>> tags(int n) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add("t" + i);
            }
            return n == 0 ? Optional.empty() : Optional.of(l);
        }

        @Cached
        static Optional<Optional<Integer>> nested(int n) {
            return n == 0 ? Optional.empty() : Optional.of(n == 1 ? Optional.empty() : Optional.of(n));
        }

        @Override
        public void step(Random r) {
            String id = pick(r, List.of("a", "x1", "b"));
            call(this, "find " + id, () -> find(id));
            int n = r.nextInt(3);
            @SuppressWarnings("unchecked")
            Optional<List<String>>[] got = new Optional[1];
            call(this, "tags " + n, () -> got[0] = tags(n));
            got[0].ifPresent(l -> l.add("caller"));
            call(this, "nested " + n, () -> nested(n));
        }
    }

    // ------------------------------------------------------------------ S13 records

    public record Point(int x, int y) {
    }

    /** A compact constructor that is not idempotent: re-running it on a copy changes the label. */
    public record Tagged(List<String> items, String label) {
        public Tagged {
            label = label + "#" + items.size();
        }
    }

    /** A compact constructor that normalizes: (5,1) becomes (1,5). */
    public record Range(int lo, int hi) {
        public Range {
            if (lo > hi) {
                int t = lo;
                lo = hi;
                hi = t;
            }
        }
    }

    /** Final fields, but an array inside: not immutable. */
    public record Blob(byte[] data) {
    }

    static final class S13_Records implements Shape {
        @Cached
        static Tagged tagged(int n) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add("i" + i);
            }
            return new Tagged(l, "L" + n);
        }

        @Cached
        static int width(Range r) {
            return r.hi() - r.lo();
        }

        @Cached
        static Blob blob(int n) {
            return new Blob(new byte[] {(byte) n, (byte) (n + 1)});
        }

        @Cached
        static Point mid(Point a, Point b) {
            return new Point((a.x() + b.x()) / 2, (a.y() + b.y()) / 2);
        }

        @Override
        public void step(Random r) {
            int n = r.nextInt(3);
            Tagged[] t = new Tagged[1];
            call(this, "tagged " + n, () -> t[0] = tagged(n));
            t[0].items().add("caller");
            int lo = r.nextInt(6);
            int hi = r.nextInt(6);
            call(this, "width " + lo + "," + hi, () -> width(new Range(lo, hi)));
            Blob[] b = new Blob[1];
            call(this, "blob " + n, () -> b[0] = blob(n));
            b[0].data()[0] = 42;
            call(this, "mid", () -> mid(new Point(lo, hi), new Point(hi, n)));
        }
    }

    // ------------------------------------------------------------------ S14 cycles

    public static final class Node {
        String name;
        Node next;
        Node parent;
        List<Node> kids = new ArrayList<>();

        Node(String name) {
            this.name = name;
        }
    }

    static final class S14_Cycles implements Shape {
        @Cached
        static Node ring(int n) {
            Node first = new Node("r0");
            Node cur = first;
            for (int i = 1; i < n; i++) {
                cur.next = new Node("r" + i);
                cur = cur.next;
            }
            cur.next = first;
            return first;
        }

        @Cached
        static Node tree(int depth) {
            Node root = new Node("t");
            grow(root, depth);
            return root;
        }

        private static void grow(Node n, int depth) {
            for (int i = 0; depth > 0 && i < 2; i++) {
                Node k = new Node(n.name + i);
                k.parent = n;
                n.kids.add(k);
                grow(k, depth - 1);
            }
        }

        @Cached
        static Object[] selfArray(int n) {
            Object[] a = new Object[n + 1];
            a[0] = a;
            for (int i = 1; i <= n; i++) {
                a[i] = "e" + i;
            }
            return a;
        }

        /** A self-containing list as an argument: its hashCode never returns. */
        @Cached
        static int size(List<Object> l) {
            return l.size();
        }

        @Override
        public void step(Random r) {
            int n = 1 + r.nextInt(3);
            Node[] ring = new Node[1];
            call(this, "ring " + n, () -> ring[0] = ring(n));
            ring[0].next.name = "changed";
            call(this, "tree " + (n - 1), () -> tree(n - 1));
            call(this, "selfArray " + n, () -> selfArray(n));
            List<Object> self = new ArrayList<>();
            self.add("x");
            for (int i = 0; i < n; i++) {
                self.add(self);
            }
            call(this, "size(self-containing) " + n, () -> size(self));
        }
    }

    // ------------------------------------------------------------------ S15 odd equals

    /** Equal to everything, hash 0. */
    public static final class AllEqual {
        final int v;

        AllEqual(int v) {
            this.v = v;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AllEqual;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** Equal to nothing, itself included. */
    public static final class NeverEqual {
        final int v;

        NeverEqual(int v) {
            this.v = v;
        }

        @Override
        public boolean equals(Object o) {
            return false;
        }

        @Override
        public int hashCode() {
            return v;
        }
    }

    /** equals, hashCode and toString throw. */
    public static final class Bomb {
        final int v;

        Bomb(int v) {
            this.v = v;
        }

        @Override
        public boolean equals(Object o) {
            throw new IllegalStateException("equals");
        }

        @Override
        public int hashCode() {
            throw new IllegalStateException("hashCode");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("toString");
        }
    }

    static final class S15_OddEquals implements Shape {
        @Cached
        static int allEqual(AllEqual a) {
            return a.v * 10;
        }

        @Cached
        static int neverEqual(NeverEqual a) {
            return a.v * 10;
        }

        @Cached
        static int bomb(Bomb b) {
            return b.v + 1;
        }

        @Cached
        static Bomb makeBomb(int v) {
            return new Bomb(v);
        }

        @Override
        public void step(Random r) {
            int v = r.nextInt(3);
            call(this, "allEqual " + v, () -> allEqual(new AllEqual(v)));
            call(this, "neverEqual " + v, () -> neverEqual(new NeverEqual(v)));
            call(this, "bomb " + v, () -> bomb(new Bomb(v)));
            call(this, "makeBomb " + v, () -> makeBomb(v).v);
        }
    }

    // ------------------------------------------------------------------ S16 mutable keys

    static final class S16_MutableKeys implements Shape {
        @Cached
        static int total(List<Integer> xs) {
            int t = 0;
            for (int x : xs) {
                t += x;
            }
            return t;
        }

        /** StringBuilder has identity equals: only its content can be the key. */
        @Cached
        static String upper(StringBuilder sb) {
            return sb.toString().toUpperCase();
        }

        @Cached
        static int mapSize(Map<String, List<Integer>> m) {
            int t = 0;
            for (List<Integer> l : m.values()) {
                t += l.size();
            }
            return t * 100 + m.size();
        }

        @Override
        public void step(Random r) {
            List<Integer> xs = new ArrayList<>(List.of(1, 2));
            call(this, "total", () -> total(xs));
            xs.add(r.nextInt(3));
            call(this, "total after add", () -> total(xs));
            StringBuilder sb = new StringBuilder(pick(r, List.of("ab", "cd")));
            call(this, "upper " + sb, () -> upper(sb));
            sb.append(r.nextInt(2));
            call(this, "upper after append " + sb, () -> upper(sb));
            Map<String, List<Integer>> m = new HashMap<>();
            m.put("a", new ArrayList<>(List.of(1)));
            call(this, "mapSize", () -> mapSize(m));
            m.get("a").add(r.nextInt(2));
            call(this, "mapSize after inner add", () -> mapSize(m));
        }
    }

    // ------------------------------------------------------------------ S17 results the caller mutates

    public static class TaggedList extends ArrayList<String> {
        String tag;

        TaggedList(String tag) {
            this.tag = tag;
        }
    }

    static final class S17_CallerMutates implements Shape {
        @Cached
        static List<String> names(int n) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add("n" + i);
            }
            return l;
        }

        @Cached
        static Date date(long t) {
            return new Date(t);
        }

        @Cached
        static StringBuilder builder(String s) {
            return new StringBuilder(s);
        }

        @Cached
        static List<Bean> listOfMutable(int n) {
            return List.of(new Bean("lm" + n, n));
        }

        @Cached
        static List<String> fixedSize(int n) {
            return Arrays.asList("f" + n, "g" + n);
        }

        @Cached
        static Map<String, Bean> unmodifiableOfMutable(int n) {
            Map<String, Bean> m = new HashMap<>();
            m.put("k", new Bean("um" + n, n));
            return Collections.unmodifiableMap(m);
        }

        @Cached
        static TaggedList taggedList(String tag) {
            TaggedList l = new TaggedList(tag);
            l.add("x" + tag);
            return l;
        }

        @Cached
        static AtomicInteger counter(int n) {
            return new AtomicInteger(n);
        }

        @Cached
        static int[] emptyArray(int n) {
            return new int[0];
        }

        @Override
        public void step(Random r) {
            int n = r.nextInt(3);
            @SuppressWarnings("unchecked")
            List<String>[] l = new List[1];
            call(this, "names " + n, () -> l[0] = names(n));
            l[0].add("caller");
            Date[] d = new Date[1];
            call(this, "date " + n, () -> d[0] = date(n * 1000L));
            d[0].setTime(123);
            StringBuilder[] sb = new StringBuilder[1];
            call(this, "builder " + n, () -> sb[0] = builder("s" + n));
            sb[0].append("!");
            @SuppressWarnings("unchecked")
            List<Bean>[] lm = new List[1];
            call(this, "listOfMutable " + n, () -> lm[0] = listOfMutable(n));
            lm[0].get(0).qty += 1000;
            @SuppressWarnings("unchecked")
            List<String>[] fs = new List[1];
            call(this, "fixedSize " + n, () -> fs[0] = fixedSize(n));
            fs[0].set(0, "caller");
            @SuppressWarnings("unchecked")
            Map<String, Bean>[] um = new Map[1];
            call(this, "unmodifiableOfMutable " + n, () -> um[0] = unmodifiableOfMutable(n));
            um[0].get("k").tags.add("caller");
            TaggedList[] tl = new TaggedList[1];
            call(this, "taggedList " + n, () -> tl[0] = taggedList("t" + n));
            tl[0].tag = "caller";
            AtomicInteger[] c = new AtomicInteger[1];
            call(this, "counter " + n, () -> c[0] = counter(n));
            c[0].incrementAndGet();
            call(this, "emptyArray " + n, () -> emptyArray(n));
        }
    }

    // ------------------------------------------------------------------ S18 nulls

    static final class S18_Nulls implements Shape {
        @Cached
        static String nn(String a, Integer b, List<String> c) {
            if (a == null && b == null) {
                return null;
            }
            return a + "/" + b + "/" + c;
        }

        @Cached
        static Map<String, String> nullMap(int n) {
            Map<String, String> m = new HashMap<>();
            m.put(null, "nullkey" + n);
            m.put("nullvalue", null);
            return m;
        }

        @Cached
        static List<String> nullList(int n) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add(i % 2 == 0 ? null : "v" + i);
            }
            return l;
        }

        @Cached
        static Object[] nullArray(int n) {
            return new Object[n];
        }

        @Cached
        static Optional<String> nullOptional(int n) {
            return n == 0 ? null : Optional.empty();
        }

        @Override
        public void step(Random r) {
            String a = pick(r, Arrays.asList("a", null, "null"));
            Integer b = pick(r, Arrays.asList(1, null));
            List<String> c = pick(r, Arrays.asList(null, Arrays.asList((String) null), List.of()));
            call(this, "nn " + a + "," + b + "," + c, () -> nn(a, b, c));
            int n = r.nextInt(3);
            call(this, "nullMap " + n, () -> nullMap(n));
            call(this, "nullList " + n, () -> nullList(n));
            call(this, "nullArray " + n, () -> nullArray(n));
            call(this, "nullOptional " + n, () -> nullOptional(n));
        }
    }

    // ------------------------------------------------------------------ S19 exceptions

    static final class S19_Exceptions implements Shape {
        @Cached
        static int parse(String s) {
            return Integer.parseInt(s);
        }

        @Cached
        static String checked(int n) throws IOException {
            if (n % 3 == 0) {
                throw new IOException("no " + n);
            }
            return "ok " + n;
        }

        @Cached
        static int length(String s) {
            return s.length();
        }

        @Cached
        static String sneaky(int n) {
            if (n == 1) {
                throwAs(new Exception("sneaky " + n));
            }
            return "fine " + n;
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void throwAs(Throwable t) throws T {
            throw (T) t;
        }

        @Override
        public void step(Random r) {
            String s = pick(r, Arrays.asList("12", "x", "", "-0", null));
            call(this, "parse " + s, () -> parse(s));
            int n = r.nextInt(4);
            call(this, "checked " + n, () -> checked(n));
            call(this, "sneaky " + n, () -> sneaky(n));
            String t = pick(r, Arrays.asList("abc", null));
            call(this, "length " + t, () -> length(t));
            // where the exception says it came from: its top frame, as a log line shows it
            see(this, "length's top frame " + t, () -> {
                try {
                    return length(t);
                } catch (NullPointerException e) {
                    StackTraceElement top = e.getStackTrace()[0];
                    return top.getClassName() + "." + top.getMethodName() + ":" + top.getLineNumber();
                }
            });
        }
    }

    // ------------------------------------------------------------------ S20 methods calling each other, recursion

    static final class S20_Recursion implements Shape {
        @Cached
        static BigInteger fib(int n) {
            return n < 2 ? BigInteger.valueOf(n) : fib(n - 1).add(fib(n - 2));
        }

        @Cached
        static String even(int n) {
            return n == 0 ? "E" : "e" + odd(n - 1);
        }

        @Cached
        static String odd(int n) {
            return n == 0 ? "O" : "o" + even(n - 1);
        }

        @Cached
        static List<String> path(int n) {
            List<String> l = n == 0 ? new ArrayList<>() : new ArrayList<>(path(n - 1));
            l.add("p" + n);
            return l;
        }

        @Override
        public void step(Random r) {
            int n = r.nextInt(22);
            call(this, "fib " + n, () -> fib(n));
            int m = r.nextInt(30);
            call(this, "even " + m, () -> even(m));
            call(this, "odd " + m, () -> odd(m));
            int p = r.nextInt(8);
            @SuppressWarnings("unchecked")
            List<String>[] got = new List[1];
            call(this, "path " + p, () -> got[0] = path(p));
            got[0].clear();
        }
    }

    // ------------------------------------------------------------------ S21 repository: read-through, write-through, evict

    public static final class Account {
        String id;
        long balance;
        List<String> history = new ArrayList<>();

        public Account(String id, long balance) {
            this.id = id;
            this.balance = balance;
        }

        public String getId() {
            return id;
        }

        Account copy() {
            Account a = new Account(id, balance);
            a.history.addAll(history);
            return a;
        }
    }

    static final class S21_Repository implements Shape {
        static final Map<String, Account> DB = new HashMap<>();

        @Cached(cache = "hostile-accounts", key = "{id}")
        static Account load(String id) {
            Account a = DB.get(id);
            return a == null ? null : a.copy();
        }

        @Cached(cache = "hostile-accounts", key = "{a.id}", strategy = Strategy.WRITE_THROUGH)
        static Account save(Account a) {
            if (a.balance < 0) {
                throw new IllegalArgumentException("negative balance for " + a.id);
            }
            DB.put(a.id, a.copy());
            summaryChanged();
            return a;
        }

        @Cached(cache = "hostile-accounts", key = "{id}", strategy = Strategy.WRITE_THROUGH)
        static void put(String id, @CacheValue Account a) {
            DB.put(id, a.copy());
            summaryChanged();
        }

        @CacheEvict(cache = "hostile-accounts", key = "{id}")
        static void delete(String id) {
            DB.remove(id);
            summaryChanged();
        }

        @CacheEvict(cache = "hostile-summary", allEntries = true)
        static void summaryChanged() {
        }

        @Cached(cache = "hostile-summary")
        static String summary(String prefix) {
            long t = 0;
            int n = 0;
            for (Map.Entry<String, Account> e : new TreeMap<>(DB).entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    t += e.getValue().balance;
                    n++;
                }
            }
            return prefix + ":" + n + ":" + t;
        }

        @Override
        public void step(Random r) {
            String id = pick(r, List.of("acc1", "acc2", "acc3"));
            switch (r.nextInt(6)) {
                case 0, 1 -> {
                    Account[] got = new Account[1];
                    call(this, "load " + id, () -> got[0] = load(id));
                    if (got[0] != null) {
                        got[0].balance += 1_000_000;
                        got[0].history.add("caller scribbled");
                    }
                }
                case 2 -> {
                    Account a = new Account(id, r.nextInt(5) - 1);
                    a.history.add("saved");
                    call(this, "save " + id + " " + a.balance, () -> {
                        Account back = save(a);
                        return back == a;
                    });
                    a.balance += 500; // the caller keeps changing the object it saved, without saving it
                    a.history.add("unsaved change");
                }
                case 3 -> {
                    Account a = new Account(id, 7 + r.nextInt(3));
                    call(this, "put " + id + " " + a.balance, () -> {
                        put(id, a);
                        return "put";
                    });
                    a.balance = -99;
                }
                case 4 -> call(this, "delete " + id, () -> {
                    delete(id);
                    return "deleted";
                });
                default -> {
                    String prefix = pick(r, List.of("acc", "acc1", ""));
                    call(this, "summary " + prefix, () -> summary(prefix));
                }
            }
        }
    }

    // ------------------------------------------------------------------ S22 cache-aside with evicting writers

    static final class S22_CacheAside implements Shape {
        static final Map<String, BigDecimal> PRICES = new HashMap<>();

        @Cached(cache = "hostile-prices", key = "{sku}", strategy = Strategy.CACHE_ASIDE)
        static BigDecimal price(String sku) {
            return PRICES.getOrDefault(sku, new BigDecimal("9.90"));
        }

        @CacheEvict(cache = "hostile-prices", key = "{sku}")
        static void setPrice(String sku, BigDecimal p) {
            PRICES.put(sku, p);
        }

        /** Fails after nothing was written; evicts first anyway. */
        @CacheEvict(cache = "hostile-prices", key = "{sku}", beforeInvocation = true)
        static void failingSetPrice(String sku, BigDecimal p) {
            if (p.signum() < 0) {
                throw new IllegalArgumentException("negative");
            }
            PRICES.put(sku, p);
        }

        @CacheEvict(cache = "hostile-prices", allEntries = true)
        static void clear() {
            PRICES.clear();
        }

        @Override
        public void step(Random r) {
            String sku = pick(r, List.of("s1", "s2", "s:1", "S1"));
            switch (r.nextInt(5)) {
                case 0, 1 -> call(this, "price " + sku, () -> price(sku));
                case 2 -> {
                    BigDecimal p = pick(r, List.of(new BigDecimal("1.0"), new BigDecimal("1.00"), new BigDecimal("2")));
                    call(this, "setPrice " + sku + " " + p, () -> {
                        setPrice(sku, p);
                        return "set";
                    });
                }
                case 3 -> {
                    BigDecimal p = pick(r, List.of(new BigDecimal("-1"), new BigDecimal("3.000")));
                    call(this, "failingSetPrice " + sku + " " + p, () -> {
                        failingSetPrice(sku, p);
                        return "set";
                    });
                }
                default -> {
                    if (r.nextInt(4) == 0) {
                        call(this, "clear", () -> {
                            clear();
                            return "cleared";
                        });
                    } else {
                        call(this, "price " + sku, () -> price(sku));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ S23 generic interfaces, bridges

    public interface Repo<T, I> {
        T find(I id);
    }

    public abstract static class BaseRepo<T> implements Repo<T, Integer> {
        abstract T make(int id);

        @Cached
        @Override
        public T find(Integer id) {
            return id == null ? null : make(id);
        }
    }

    public static final class NameRepo extends BaseRepo<String> {
        @Override
        String make(int id) {
            return "name" + id;
        }
    }

    public static final class BeanRepo extends BaseRepo<Bean> {
        @Override
        Bean make(int id) {
            return new Bean("bean" + id, id);
        }
    }

    static final class S23_GenericBridges implements Shape {
        static final NameRepo NAMES = new NameRepo();
        static final BeanRepo BEANS = new BeanRepo();

        @Cached
        static <T extends Comparable<T>> T max(List<T> xs) {
            T m = null;
            for (T x : xs) {
                if (m == null || x.compareTo(m) > 0) {
                    m = x;
                }
            }
            return m;
        }

        @Override
        public void step(Random r) {
            Integer id = pick(r, Arrays.asList(1, 2, null));
            Repo<String, Integer> names = NAMES;
            Repo<Bean, Integer> beans = BEANS;
            call(this, "names.find " + id, () -> names.find(id));
            Bean[] b = new Bean[1];
            call(this, "beans.find " + id, () -> b[0] = beans.find(id));
            if (b[0] != null) {
                b[0].qty = -1;
            }
            int v = r.nextInt(3);
            call(this, "max ints " + v, () -> max(List.of(1, v)));
            call(this, "max longs " + v, () -> max(List.of(1L, (long) v)));
            call(this, "max strings " + v, () -> max(List.of("1", "" + v)));
        }
    }

    // ------------------------------------------------------------------ S24 collections whose behaviour is more than their elements

    static final class S24_Collections implements Shape {
        @Cached
        static TreeMap<String, Integer> caseInsensitive(int n) {
            TreeMap<String, Integer> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 0; i < n; i++) {
                m.put("K" + i, i);
            }
            return m;
        }

        @Cached
        static LinkedHashMap<String, Integer> accessOrder(int n) {
            LinkedHashMap<String, Integer> m = new LinkedHashMap<>(16, 0.75f, true);
            for (int i = 0; i < n; i++) {
                m.put("k" + i, i);
            }
            return m;
        }

        @Cached
        static IdentityHashMap<String, Integer> identity(int n) {
            IdentityHashMap<String, Integer> m = new IdentityHashMap<>();
            for (int i = 0; i < n; i++) {
                m.put(new String("same"), i);
            }
            return m;
        }

        @Cached
        static Set<String> insertionOrder(int n) {
            Set<String> s = new LinkedHashSet<>();
            for (int i = n; i > 0; i--) {
                s.add("z" + i);
            }
            return s;
        }

        @Cached
        static PriorityQueue<Integer> heap(int n) {
            PriorityQueue<Integer> q = new PriorityQueue<>(Comparator.reverseOrder());
            for (int i = 0; i < n; i++) {
                q.add((i * 7) % 5);
            }
            return q;
        }

        @Cached
        static ArrayDeque<String> deque(int n) {
            ArrayDeque<String> d = new ArrayDeque<>();
            for (int i = 0; i < n; i++) {
                d.addFirst("d" + i);
            }
            return d;
        }

        @Cached
        static BitSet bits(int n) {
            BitSet b = new BitSet();
            b.set(n);
            b.set(n * 3);
            return b;
        }

        @Cached
        static CopyOnWriteArrayList<String> cow(int n) {
            return new CopyOnWriteArrayList<>(List.of("c" + n));
        }

        @Cached
        static Map<Bean, String> beanKeyed(int n) {
            Map<Bean, String> m = new HashMap<>();
            m.put(new Bean("k" + n, n), "v" + n);
            return m;
        }

        @Cached
        static List<String> emptySingleton(int n) {
            return n == 0 ? Collections.emptyList() : Collections.singletonList("one");
        }

        @Override
        public void step(Random r) {
            int n = 1 + r.nextInt(3);
            @SuppressWarnings("unchecked")
            TreeMap<String, Integer>[] ci = new TreeMap[1];
            call(this, "caseInsensitive " + n, () -> ci[0] = caseInsensitive(n));
            see(this, "caseInsensitive get k0", () -> ci[0].get("k0"));
            ci[0].put("extra", 1);
            @SuppressWarnings("unchecked")
            LinkedHashMap<String, Integer>[] ao = new LinkedHashMap[1];
            call(this, "accessOrder " + n, () -> ao[0] = accessOrder(n));
            ao[0].get("k0");
            see(this, "accessOrder after get k0", () -> new ArrayList<>(ao[0].keySet()));
            call(this, "identity " + n, () -> identity(n).size());
            call(this, "insertionOrder " + n, () -> insertionOrder(n));
            @SuppressWarnings("unchecked")
            PriorityQueue<Integer>[] h = new PriorityQueue[1];
            call(this, "heap " + n, () -> h[0] = heap(n));
            see(this, "heap poll", () -> h[0].poll());
            call(this, "deque " + n, () -> deque(n));
            BitSet[] bs = new BitSet[1];
            call(this, "bits " + n, () -> bs[0] = bits(n));
            bs[0].set(100);
            call(this, "cow " + n, () -> cow(n));
            @SuppressWarnings("unchecked")
            Map<Bean, String>[] bk = new Map[1];
            call(this, "beanKeyed " + n, () -> bk[0] = beanKeyed(n));
            see(this, "beanKeyed lookup by equal bean", () -> bk[0].get(new Bean("k" + n, n)));
            int e = r.nextInt(2);
            call(this, "emptySingleton " + e, () -> emptySingleton(e));
        }
    }

    // ------------------------------------------------------------------ S25 results that hold what cannot be copied

    public static final class Holder {
        final Thread owner = Thread.currentThread();
        final Object lock = new Object();
        final ReentrantLock reentrant = new ReentrantLock();
        final Class<?> type;
        final ClassLoader loader;
        final int n;

        Holder(int n) {
            this.n = n;
            this.type = n % 2 == 0 ? String.class : Holder.class;
            this.loader = Holder.class.getClassLoader();
        }
    }

    /** A final class with final fields, but of mutable types. */
    public static final class Frozen {
        final int[] data;
        final List<String> names;

        Frozen(int n) {
            this.data = new int[] {n};
            this.names = new ArrayList<>(List.of("f" + n));
        }
    }

    static final class S25_Unusual implements Shape {

        @Cached
        static Holder holder(int n) {
            return new Holder(n);
        }

        @Cached
        static Frozen frozen(int n) {
            return new Frozen(n);
        }

        @Cached
        static Object poly(int n) {
            return switch (n) {
                case 0 -> new int[] {1};
                case 1 -> "s";
                case 2 -> null;
                case 3 -> 3;
                default -> new ArrayList<>(List.of(n));
            };
        }

        @Override
        public void step(Random r) {
            int n = r.nextInt(5);
            Holder[] h = new Holder[1];
            call(this, "holder " + n, () -> (h[0] = holder(n)).n);
            see(this, "holder's owner is this thread", () -> h[0].owner == Thread.currentThread());
            see(this, "holder's loader is the app's", () -> h[0].loader == Holder.class.getClassLoader());
            see(this, "holder's type", () -> h[0].type);
            see(this, "holder's lock is usable", () -> {
                h[0].reentrant.lock();
                try {
                    return h[0].reentrant.isHeldByCurrentThread();
                } finally {
                    h[0].reentrant.unlock();
                }
            });
            Frozen[] f = new Frozen[1];
            call(this, "frozen " + n, () -> f[0] = frozen(n));
            f[0].data[0] = -1;
            f[0].names.add("caller");
            call(this, "poly " + n, () -> poly(n));
        }
    }

    /**
     * A method that hands out one shared, stateless object (a marker, a lock): the caller compares it with ==.
     * Grey: a cache that holds results by value returns a copy, which is never the shared object.
     */
    static final class S25b_SharedSingleton implements Shape {
        static final Object SENTINEL = new Object();

        @Cached
        static Object sentinel(int n) {
            return n == 0 ? SENTINEL : null;
        }

        @Override
        public void step(Random r) {
            int n = r.nextInt(2);
            call(this, "sentinel " + n + " is the shared object", () -> sentinel(n) == SENTINEL);
        }

        @Override
        public boolean grey() {
            return true;
        }
    }

    // ------------------------------------------------------------------ S26 methods that write into their arguments on some calls

    static final class S26_WritesIntoArguments implements Shape {
        /** Appends only for names starting with "w": the first calls never write. */
        @Cached
        static int register(List<String> out, String name) {
            if (name.startsWith("w")) {
                out.add(name);
            }
            return name.length();
        }

        @Cached
        static String fill(Map<String, String> model, String view) {
            if (view.endsWith("!")) {
                model.put("view", view);
            }
            return "view:" + view;
        }

        @Override
        public void step(Random r) {
            List<String> out = new ArrayList<>();
            String name = seq < 2000 ? pick(r, List.of("a", "bb", "ccc")) : pick(r, List.of("a", "w1", "w22"));
            call(this, "register " + name, () -> register(out, name));
            see(this, "register wrote", () -> out);
            Map<String, String> model = new TreeMap<>();
            String view = seq < 2000 ? pick(r, List.of("home", "list")) : pick(r, List.of("home", "edit!"));
            call(this, "fill " + view, () -> fill(model, view));
            see(this, "fill wrote", () -> model);
        }
    }

    // ------------------------------------------------------------------ S27 hash collisions

    static final class S27_HashCollisions implements Shape {
        @Cached
        static String hc(String s) {
            return "<" + s + ">";
        }

        @Cached
        static String hl(long v) {
            return Long.toHexString(v);
        }

        @Cached
        static String pairs(List<String> xs) {
            return String.join("+", xs);
        }

        @Override
        public void step(Random r) {
            String s = pick(r, List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"));
            call(this, "hc " + s, () -> hc(s));
            long v = pick(r, List.of(0L, -1L, (1L << 32) | 1L, Long.MIN_VALUE, Long.MAX_VALUE));
            call(this, "hl " + v, () -> hl(v));
            List<String> xs = pick(r, List.of(List.of("Aa", "BB"), List.of("BB", "Aa"), List.of("AaBB"),
                    List.of("Aa", "BB", ""), List.of("AaBB", "")));
            call(this, "pairs " + xs, () -> pairs(xs));
        }
    }

    // ------------------------------------------------------------------ S28 receiver state changed without an evict

    public static final class Multiplier {
        int factor;
        final List<String> items = new ArrayList<>();

        Multiplier(int factor) {
            this.factor = factor;
        }

        @Cached
        public int times(int x) {
            return x * factor;
        }

        @Cached
        public int count(String prefix) {
            int n = 0;
            for (String i : items) {
                if (i.startsWith(prefix)) {
                    n++;
                }
            }
            return n;
        }
    }

    static final class S28_ReceiverState implements Shape {
        static final Multiplier M = new Multiplier(2);

        @Override
        public void step(Random r) {
            int x = r.nextInt(3);
            call(this, "times " + x + " factor " + M.factor, () -> M.times(x));
            if (r.nextInt(4) == 0) {
                M.factor++;
            }
            String p = pick(r, List.of("a", "b"));
            call(this, "count " + p + " of " + M.items, () -> M.count(p));
            if (r.nextInt(4) == 0) {
                M.items.add(p + M.items.size());
            }
        }

        @Override
        public boolean grey() {
            return true;
        }
    }

    // ------------------------------------------------------------------ S29 big arguments

    static final class S29_BigArguments implements Shape {
        static final String BIG = "x".repeat(200_000);

        @Cached
        static int last(String s) {
            return s.charAt(s.length() - 1) + s.length();
        }

        @Cached
        static long sum(long[] xs) {
            long t = 0;
            for (long x : xs) {
                t += x;
            }
            return t;
        }

        @Override
        public void step(Random r) {
            String s = BIG + pick(r, List.of("a", "b", ""));
            call(this, "last big+" + s.length(), () -> last(s));
            long[] xs = new long[50_000];
            xs[xs.length - 1] = r.nextInt(3);
            call(this, "sum big " + xs[xs.length - 1], () -> sum(xs));
        }
    }

    // ------------------------------------------------------------------ S30 threads

    static final class S30_Threads implements Shape {
        static final Map<String, String> STORE = new java.util.concurrent.ConcurrentHashMap<>();

        @Cached
        static String square(int k) {
            return k + "^2=" + (k * k);
        }

        @Cached(strategy = Strategy.CACHE_ASIDE)
        static List<Integer> divisors(int k) {
            List<Integer> l = new ArrayList<>();
            for (int i = 1; i <= k; i++) {
                if (k % i == 0) {
                    l.add(i);
                }
            }
            return l;
        }

        @Cached(cache = "hostile-store", key = "{key}")
        static String read(String key) {
            return STORE.get(key);
        }

        @Cached(cache = "hostile-store", key = "{key}", strategy = Strategy.WRITE_THROUGH)
        static String write(String key, String value) {
            STORE.put(key, value);
            return value;
        }

        @Override
        public void step(Random r) throws Exception {
            int threads = 4;
            long[] seeds = new long[threads];
            for (int i = 0; i < threads; i++) {
                seeds[i] = r.nextLong();
            }
            String[] digests = new String[threads];
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int me = t;
                ts[t] = new Thread(() -> {
                    Random tr = new Random(seeds[me]);
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < 300; i++) {
                        int k = tr.nextInt(30);
                        String key = "t" + me + "-" + tr.nextInt(5);
                        try {
                            switch (tr.nextInt(4)) {
                                case 0 -> sb.append(square(k));
                                case 1 -> {
                                    List<Integer> d = divisors(k);
                                    sb.append(d);
                                    d.add(-1);
                                }
                                case 2 -> sb.append(write(key, "v" + i));
                                default -> sb.append(read(key));
                            }
                        } catch (Throwable e) {
                            sb.append(e);
                        }
                        sb.append(';');
                    }
                    digests[me] = sb.length() + ":" + Integer.toHexString(sb.toString().hashCode());
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            for (int t = 0; t < threads; t++) {
                int me = t;
                call(this, "thread " + t + " digest", () -> digests[me]);
            }
        }
    }

    // ------------------------------------------------------------------ S31 results that are one of the caller's own objects

    public static final class Fluent {
        int level;

        Fluent(int level) {
            this.level = level;
        }

        /** Returns its receiver, as builders and fluent setters do. */
        @Cached
        public Fluent self(int x) {
            return x >= 0 ? this : null;
        }
    }

    static final class S31_ReturnsOwnObjects implements Shape {
        /** Returns one of its arguments: the caller goes on to change the object it got, expecting its own. */
        @Cached
        static Bean firstNonNull(Bean a, Bean b) {
            return a != null ? a : b;
        }

        @Cached
        static List<Op> ops(int n) {
            List<Op> l = new ArrayList<>();
            for (int i = 0; i <= n; i++) {
                l.add(Op.values()[i % 3]);
            }
            return l;
        }

        @Cached
        static List<String> literals(int n) {
            return new ArrayList<>(List.of("alpha", "beta").subList(0, 1 + n % 2));
        }

        @Override
        public void step(Random r) {
            int q = r.nextInt(2);
            Bean mine = new Bean("mine", q);
            Bean other = new Bean("other", q);
            boolean firstNull = r.nextBoolean();
            Bean[] got = new Bean[1];
            call(this, "firstNonNull " + firstNull + " " + q, () -> got[0] = firstNonNull(firstNull ? null : mine, other));
            see(this, "result is the caller's own argument", () -> got[0] == (firstNull ? other : mine));
            got[0].qty += 10;
            see(this, "caller's objects after it changed the result", () -> List.of(mine, other));
            Fluent f = new Fluent(q);
            call(this, "self " + q, () -> f.self(q) == f);
            int n = r.nextInt(3);
            @SuppressWarnings("unchecked")
            List<Op>[] ops = new List[1];
            call(this, "ops " + n, () -> ops[0] = ops(n));
            see(this, "ops hold the enum constants", () -> ops[0].get(0) == Op.PLUS);
            @SuppressWarnings("unchecked")
            List<String>[] lit = new List[1];
            call(this, "literals " + n, () -> lit[0] = literals(n));
            see(this, "literal identity", () -> lit[0].get(0) == "alpha");
        }
    }

    // ------------------------------------------------------------------ S32 key objects the caller changes after the call

    /** A record, so final fields and equals by components; but one component is a mutable list. */
    public record Bag(String name, List<String> items) {
    }

    /** No equals: identity in Java, but the state is all a structural key needs. */
    public static final class Plain {
        int v;

        Plain(int v) {
            this.v = v;
        }
    }

    static final class S32_MutatedKeyObjects implements Shape {
        @Cached
        static int bagSize(Bag bag) {
            return bag.items().size() * 10 + bag.name().length();
        }

        @Cached
        static int qtyOf(Bean b) {
            return b.qty * 3;
        }

        @Cached
        static int plainV(Plain p) {
            return p.v + 1000;
        }

        @Cached
        static long dateKey(Date d) {
            return d.getTime() / 1000;
        }

        @Cached
        static int atomic(AtomicInteger a) {
            return a.get() * 7;
        }

        @Cached
        static int optionalList(Optional<List<String>> o) {
            return o.map(List::size).orElse(-1);
        }

        @Override
        public void step(Random r) {
            int k = r.nextInt(2);
            Bag bag = new Bag("b" + k, new ArrayList<>(List.of("x")));
            call(this, "bagSize " + k, () -> bagSize(bag));
            bag.items().add("y");
            call(this, "bagSize after the caller added to its list " + k, () -> bagSize(bag));
            Bean b = new Bean("q", k);
            call(this, "qtyOf " + k, () -> qtyOf(b));
            b.qty += 5;
            call(this, "qtyOf after the caller changed qty " + k, () -> qtyOf(b));
            Plain p = new Plain(k);
            call(this, "plainV " + k, () -> plainV(p));
            p.v += 5;
            call(this, "plainV after the caller changed v " + k, () -> plainV(p));
            Date d = new Date(k * 1000L);
            call(this, "dateKey " + k, () -> dateKey(d));
            d.setTime(d.getTime() + 5000);
            call(this, "dateKey after setTime " + k, () -> dateKey(d));
            AtomicInteger a = new AtomicInteger(k);
            call(this, "atomic " + k, () -> atomic(a));
            a.addAndGet(5);
            call(this, "atomic after addAndGet " + k, () -> atomic(a));
            Optional<List<String>> o = Optional.of(new ArrayList<>(List.of("z")));
            call(this, "optionalList", () -> optionalList(o));
            o.get().add("w");
            call(this, "optionalList after the caller added", () -> optionalList(o));
        }
    }

    // ------------------------------------------------------------------ S33 a repository cached by YAML rules only

    /**
     * No annotations: HostileShapesIT's YAML file caches {@code find*} with wildcards, makes {@code save} a
     * write-through of the by-name region and gives {@code save} and {@code remove} evict rules (two on each).
     */
    public static final class S33_YamlRepo implements Shape {
        final Map<String, Bean> db = new TreeMap<>();

        public Bean findByName(String name) {
            Bean b = db.get(name);
            if (b == null) {
                return null;
            }
            Bean c = new Bean(b.name, b.qty);
            c.tags.addAll(b.tags);
            return c;
        }

        public List<Bean> findByQtyAtLeast(int q) {
            List<Bean> out = new ArrayList<>();
            for (Bean b : db.values()) {
                if (b.qty >= q) {
                    out.add(findByName(b.name));
                }
            }
            return out;
        }

        public Bean save(Bean b) {
            Bean c = new Bean(b.name, b.qty);
            c.tags.addAll(b.tags);
            db.put(b.name, c);
            return b;
        }

        public void remove(String name) {
            db.remove(name);
        }

        @Override
        public void step(Random r) {
            String name = pick(r, List.of("n1", "n2", "n3"));
            switch (r.nextInt(5)) {
                case 0, 1 -> {
                    Bean[] got = new Bean[1];
                    call(this, "findByName " + name, () -> got[0] = findByName(name));
                    if (got[0] != null) {
                        got[0].qty = -5;
                    }
                }
                case 2 -> {
                    int q = r.nextInt(4);
                    @SuppressWarnings("unchecked")
                    List<Bean>[] got = new List[1];
                    call(this, "findByQtyAtLeast " + q, () -> got[0] = findByQtyAtLeast(q));
                    got[0].clear();
                }
                case 3 -> {
                    Bean b = new Bean(name, r.nextInt(4));
                    b.tags.add("v" + seq);
                    call(this, "save " + name + " " + b.qty, () -> save(b).qty);
                    b.qty = 99;
                }
                default -> call(this, "remove " + name, () -> {
                    remove(name);
                    return "removed";
                });
            }
        }
    }

    // ------------------------------------------------------------------ S34 write-through and evict annotations on one method

    static final class S34_WriteAndEvict implements Shape {
        static final Map<String, Integer> STOCK = new TreeMap<>();

        @Cached(cache = "hostile-stock", key = "{sku}")
        static Integer stock(String sku) {
            return STOCK.get(sku);
        }

        @Cached(cache = "hostile-stock-total")
        static int total(int min) {
            int t = 0;
            for (int v : STOCK.values()) {
                if (v >= min) {
                    t += v;
                }
            }
            return t;
        }

        /** Writes one entry through and evicts the totals: both must happen. */
        @Cached(cache = "hostile-stock", key = "{sku}", strategy = Strategy.WRITE_THROUGH)
        @CacheEvict(cache = "hostile-stock-total", allEntries = true)
        static Integer restock(String sku, int qty) {
            STOCK.put(sku, qty);
            return qty;
        }

        @Override
        public void step(Random r) {
            String sku = pick(r, List.of("p1", "p2"));
            switch (r.nextInt(3)) {
                case 0 -> {
                    int q = r.nextInt(5);
                    call(this, "restock " + sku + " " + q, () -> restock(sku, q));
                }
                case 1 -> call(this, "stock " + sku, () -> stock(sku));
                default -> {
                    int min = r.nextInt(3);
                    call(this, "total " + min, () -> total(min));
                }
            }
        }
    }

    // ------------------------------------------------------------------ S35 wide parameters and templates by index and name

    static final class S35_WideSlots implements Shape {
        /** The result depends on b and d only, which is what the key names; a and c take two slots each. */
        @Cached(key = "{1}:{3}")
        static String byIndex(long a, double b, long c, String d) {
            return b + "/" + d;
        }

        @Cached(key = "{b}|{d}")
        String byName(long a, double b, long c, String d) {
            return b + "|" + d;
        }

        @Cached(key = "{2}")
        static String third(double a, long b, int c) {
            return "c=" + c;
        }

        @Override
        public void step(Random r) {
            long a = r.nextLong();
            double b = r.nextInt(3) + 0.5;
            long c = r.nextInt(1000);
            String d = pick(r, List.of("x", "y"));
            call(this, "byIndex " + b + " " + d, () -> byIndex(a, b, c, d));
            call(this, "byName " + b + " " + d, () -> byName(a, b, c, d));
            int k = r.nextInt(3);
            call(this, "third " + k, () -> third(r.nextDouble(), r.nextLong(), k));
        }
    }

    // ------------------------------------------------------------------ S36 a whole object in a key template

    public static final class Shy {
        final int v;

        Shy(int v) {
            this.v = v;
        }

        @Override
        public String toString() {
            return "Shy";
        }
    }

    static final class S36_TemplateWholeObjects implements Shape {
        @Cached(key = "sizes:{0}")
        static String sizes(List<String> l) {
            return l.size() + ":" + String.join("+", l);
        }

        @Cached(key = "shy:{0}")
        static int shy(Shy s) {
            return s.v;
        }

        @Cached(key = "arr:{0}")
        static int arr(int[] xs) {
            return Arrays.stream(xs).sum();
        }

        @Override
        public void step(Random r) {
            List<String> l = pick(r, List.of(List.of("a, b"), List.of("a", "b"), List.of("[a]"), List.of("a]", "[b")));
            call(this, "sizes " + l.size() + " " + l, () -> sizes(new ArrayList<>(l)));
            int v = r.nextInt(3);
            call(this, "shy " + v, () -> shy(new Shy(v)));
            int[] xs = new int[] {v, r.nextInt(2)};
            call(this, "arr " + Arrays.toString(xs), () -> arr(xs));
        }
    }

    // ------------------------------------------------------------------ S37 futures

    static final class S37_Futures implements Shape {
        static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(2, t -> {
            Thread th = new Thread(t);
            th.setDaemon(true);
            return th;
        });

        @Cached
        static java.util.concurrent.CompletableFuture<List<Bean>> later(int n) {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                if (n == 2) {
                    throw new IllegalStateException("no " + n);
                }
                List<Bean> l = new ArrayList<>();
                l.add(new Bean("f" + n, n));
                return l;
            }, POOL);
        }

        @Cached
        static java.util.concurrent.CompletionStage<String> done(int n) {
            return java.util.concurrent.CompletableFuture.completedFuture("done" + n);
        }

        @Override
        public void step(Random r) throws Exception {
            int n = r.nextInt(3);
            call(this, "later " + n, () -> {
                List<Bean> l = later(n).get(5, java.util.concurrent.TimeUnit.SECONDS);
                String d = deep(l);
                l.get(0).qty += 100;
                l.add(new Bean("caller", 0));
                return d;
            });
            call(this, "done " + n, () -> done(n).toCompletableFuture().join());
        }
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20261207L;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2500;
        System.out.println("seed=" + seed);
        List<Shape> shapes = List.of(new S01_Arrays(), new S02_NestedGenerics(), new S03_MutableBeans(),
                new S04_EnumBodies(), new S05_Outer(), new S06_Lambdas(), new S07_DefaultMethods(), new S08_Varargs(),
                new S09_Boxes(), new S09b_NaNPayloads(), new S10_BigDecimal(), new S11_Strings(), new S11b_TemplateKeys(), new S12_Optional(),
                new S13_Records(), new S14_Cycles(), new S15_OddEquals(), new S16_MutableKeys(),
                new S17_CallerMutates(), new S18_Nulls(), new S19_Exceptions(), new S20_Recursion(),
                new S21_Repository(), new S22_CacheAside(), new S23_GenericBridges(), new S24_Collections(),
                new S25_Unusual(), new S25b_SharedSingleton(), new S26_WritesIntoArguments(), new S27_HashCollisions(), new S28_ReceiverState(),
                new S29_BigArguments(), new S31_ReturnsOwnObjects(), new S32_MutatedKeyObjects(), new S33_YamlRepo(), new S34_WriteAndEvict(), new S35_WideSlots(),
                new S36_TemplateWholeObjects(), new S37_Futures());
        Random r = new Random(seed);
        for (int i = 0; i < steps; i++) {
            Shape s = shapes.get(r.nextInt(shapes.size()));
            try {
                s.step(r);
            } catch (Throwable t) {
                System.out.println("call|" + (seq++) + "|" + shapeOf(s) + "|step threw|" + t);
            }
        }
        Shape threads = new S30_Threads();
        for (int i = 0; i < 3; i++) {
            threads.step(r);
        }
        List<String> grey = new ArrayList<>();
        for (Shape s : shapes) {
            if (s.grey()) {
                grey.add(shapeOf(s));
            }
        }
        System.out.println("grey=" + String.join(",", grey));
        System.out.println("shapes=" + CALLS.keySet().size());
        System.out.println("calls=" + CALLS.values().stream().mapToInt(Integer::intValue).sum());
        System.out.println("callsPerShape=" + CALLS);
        printBeans();
    }

    /** Every method the agent cached, with its figures, as {@code bean|name|hits|misses|refused|reason}. */
    private static void printBeans() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        if (System.getProperty("recall.jmx.delay") != null) {
            // The agent registers its beans on its own background thread: wait until their number settles.
            ObjectName all = new ObjectName("dev.recall:type=CachedMethod,*");
            int last = -1;
            for (int i = 0; i < 50; i++) {
                int now = mbs.queryNames(all, null).size();
                if (now > 0 && now == last) {
                    break;
                }
                last = now;
                Thread.sleep(100);
            }
        }
        for (ObjectName name : new TreeSet<>(mbs.queryNames(new ObjectName("dev.recall:type=CachedMethod,*"), null))) {
            String n = name.getKeyProperty("name");
            System.out.println("bean|" + (n.startsWith("\"") ? ObjectName.unquote(n) : n) + "|" + attr(mbs, name, "HitCount")
                    + "|" + attr(mbs, name, "MissCount") + "|" + attr(mbs, name, "Refused") + "|"
                    + esc(attr(mbs, name, "RefusedReason")) + "|" + attr(mbs, name, "UncacheableResults"));
        }
    }

    private static String attr(MBeanServer mbs, ObjectName name, String attribute) {
        try {
            return String.valueOf(mbs.getAttribute(name, attribute));
        } catch (Exception e) {
            return "?";
        }
    }
}
