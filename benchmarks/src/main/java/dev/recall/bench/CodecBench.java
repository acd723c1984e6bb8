package dev.recall.bench;

import dev.recall.agent.codec.ClassAllowlist;
import dev.recall.agent.codec.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What storing a cached result in a remote store costs in serialization: the agent's {@link ValueCodec}
 * against JDK serialization, for one typical record and a list of 20, encode, decode and both. Payload
 * sizes are printed by each fork's setup.
 *
 * <p>Not part of {@code run.sh}. The codec lives in the agent, which this module keeps off its class
 * path (the Recall cases run it as {@code -javaagent}), so put the agent jar on the class path and start
 * JMH directly (forks inherit the class path):
 *
 * <pre>
 * mvn -o -q -DskipTests package
 * java -cp benchmarks/target/benchmarks.jar:agent/target/recall-agent.jar org.openjdk.jmh.Main CodecBench -f 1 -wi 3 -i 3 -w 1 -r 1
 * </pre>
 *
 * The benchmark methods declare {@code throws Exception} rather than catching the codec's exceptions:
 * a handler for them would make the JVM load the agent's classes when verifying this one, before
 * {@link #setUp} can explain that they are missing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {

    /** Serializable only for the JDK side; the codec needs no marker. */
    public record Product(long id, String name, String category, BigDecimal price, List<String> tags, Instant updated)
            implements Serializable {
    }

    private static final String[] CATEGORIES = {"books", "toys", "garden", "kitchen", "outdoor"};

    private ValueCodec codec;
    private final ClassLoader loader = CodecBench.class.getClassLoader();
    private Product product;
    private List<Product> list;
    private byte[] productCodec;
    private byte[] listCodec;
    private byte[] productJdk;
    private byte[] listJdk;

    static Product product(int i) {
        return new Product(10_000 + i, "Stainless steel water bottle " + i, CATEGORIES[i % CATEGORIES.length],
                new BigDecimal("19.99").add(BigDecimal.valueOf(i, 2)),
                i % 3 == 0 ? List.of("new", "sale", "eco") : List.of("bestseller", "eco"),
                Instant.ofEpochSecond(1_700_000_000L + i * 3_600L, i * 1_000_000L));
    }

    @Setup
    public void setUp() throws Exception {
        try {
            Class.forName("dev.recall.agent.codec.ValueCodec");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("CodecBench needs the agent's classes: java -cp benchmarks/target/benchmarks.jar:"
                    + "agent/target/recall-agent.jar org.openjdk.jmh.Main CodecBench ...", e);
        }
        codec = new ValueCodec(ClassAllowlist.of(List.of("dev.recall.bench.**")));
        product = product(0);
        list = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            list.add(product(i));
        }
        productCodec = codec.encode(product);
        listCodec = codec.encode(list);
        productJdk = jdkEncode(product);
        listJdk = jdkEncode(list);
        for (Object back : List.of(codec.decode(productCodec, loader), codec.decode(listCodec, loader), jdkDecode(productJdk),
                jdkDecode(listJdk))) {
            if (!back.equals(product) && !back.equals(list)) {
                throw new IllegalStateException("round trip changed the value: " + back);
            }
        }
        System.out.printf("%npayload bytes: product ValueCodec=%d JDK=%d; list of 20 ValueCodec=%d JDK=%d%n",
                productCodec.length, productJdk.length, listCodec.length, listJdk.length);
    }

    private static byte[] jdkEncode(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static Object jdkDecode(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    // ---- encode and decode: what a store-then-read costs ----

    @Benchmark
    public Object roundTripProductCodec() throws Exception {
        return codec.decode(codec.encode(product), loader);
    }

    @Benchmark
    public Object roundTripProductJdk() throws Exception {
        return jdkDecode(jdkEncode(product));
    }

    @Benchmark
    public Object roundTripListCodec() throws Exception {
        return codec.decode(codec.encode(list), loader);
    }

    @Benchmark
    public Object roundTripListJdk() throws Exception {
        return jdkDecode(jdkEncode(list));
    }

    // ---- each half: a miss encodes, a hit decodes ----

    @Benchmark
    public byte[] encodeProductCodec() throws Exception {
        return codec.encode(product);
    }

    @Benchmark
    public byte[] encodeProductJdk() throws Exception {
        return jdkEncode(product);
    }

    @Benchmark
    public Object decodeProductCodec() throws Exception {
        return codec.decode(productCodec, loader);
    }

    @Benchmark
    public Object decodeProductJdk() throws Exception {
        return jdkDecode(productJdk);
    }

    @Benchmark
    public byte[] encodeListCodec() throws Exception {
        return codec.encode(list);
    }

    @Benchmark
    public byte[] encodeListJdk() throws Exception {
        return jdkEncode(list);
    }

    @Benchmark
    public Object decodeListCodec() throws Exception {
        return codec.decode(listCodec, loader);
    }

    @Benchmark
    public Object decodeListJdk() throws Exception {
        return jdkDecode(listJdk);
    }
}
