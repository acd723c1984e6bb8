package dev.recall.agent.store.remote;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What encryption adds to a Redis hit (opening an envelope) and to a write (sealing one): the agent's
 * {@link EntrySeal} with a secret (AES-256-GCM) against the same without one ({@code insecure: true}, plain), for
 * a payload of the size {@code RemoteBench}'s values have and of a typical record. The rest of a hit (the GET,
 * decoding) is the same in both modes, so the difference here is the difference of a Redis hit, measured
 * without the network's noise; {@code remote.sh} measures whole hits and writes in both modes. Since issue 29 a
 * seal remembers what it opened ({@code OpenedMemo}): {@code openEncrypted} reads two values at one name in turn, so
 * that each read decrypts, and {@code openRemembered} reads the same bytes again, which the memo answers.
 *
 * <p>In the agent's package (the seal is package-private); the agent jar goes on the class path:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar:agent/target/recall-agent.jar org.openjdk.jmh.Main SealBench -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 * On a machine busy with other work, where wall-clock figures mean little, {@link #main} measures the same
 * operations in this thread's CPU time, alternating the four cases round by round:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar:agent/target/recall-agent.jar dev.recall.agent.store.remote.SealBench
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SealBench {

    @Param({"48", "400"})
    public int payloadBytes;

    private final byte[] key = "recall:bench-remote:qvu47UGVvlVZQa6Ln5r_ng".getBytes(StandardCharsets.UTF_8);
    private EntrySeal encrypted;
    private EntrySeal plain;
    private byte[] payload;
    private byte[] sealedEncrypted;
    /** Two values at one name, read in turn: each read finds the other in the seal's memo, so each is decrypted. */
    private byte[][] alternating;
    private int turn;
    private byte[] sealedPlain;

    @Setup
    public void setUp() {
        encrypted = new EntrySeal("a-benchmark-secret-of-some-length");
        plain = new EntrySeal(null);
        payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        long now = System.currentTimeMillis();
        sealedEncrypted = encrypted.seal(key, 1_000_000, now, now + 3_600_000, payload);
        sealedPlain = plain.seal(key, 1_000_000, now, now + 3_600_000, payload);
        alternating = new byte[][] {encrypted.seal(key, 1_000_000, now, now + 3_600_000, payload),
            encrypted.seal(key, 1_000_000, now, now + 3_600_000, payload)};
    }

    /** A value read for the first time (or after another at its name): authenticated and decrypted. */
    @Benchmark
    public byte[] openEncrypted() throws EntrySeal.Rejected {
        return encrypted.open(key, alternating[turn++ & 1]).payload();
    }

    /** The same bytes read again at the same name: answered from the seal's memo (agents from issue 29 on). */
    @Benchmark
    public byte[] openRemembered() throws EntrySeal.Rejected {
        return encrypted.open(key, sealedEncrypted).payload();
    }

    @Benchmark
    public byte[] openPlain() throws EntrySeal.Rejected {
        return plain.open(key, sealedPlain).payload();
    }

    @Benchmark
    public byte[] sealEncrypted() {
        return encrypted.seal(key, 1_000_000, 1L, 2L, payload);
    }

    @Benchmark
    public byte[] sealPlain() {
        return plain.seal(key, 1_000_000, 1L, 2L, payload);
    }

    /** CPU time per operation of each case, medians over rounds that alternate the cases (see the class comment). */
    public static void main(String[] args) throws Exception {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int size : new int[] {48, 400}) {
            SealBench b = new SealBench();
            b.payloadBytes = size;
            b.setUp();
            String[] names = {"openPlain", "openEncrypted", "sealPlain", "sealEncrypted", "openRemembered", "name"};
            RemoteKeys keys = new RemoteKeys("recall:", "a-benchmark-secret-of-some-length");
            Long[] ids = new Long[1024];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1_000L + i;
            }
            int rounds = 31;
            double[][] perOp = new double[names.length][rounds];
            int ops = 20_000;
            for (int round = -10; round < rounds; round++) { // ten rounds of warm-up
                for (int c = 0; c < names.length; c++) {
                    long start = cpu.getCurrentThreadCpuTime();
                    int sink = 0;
                    for (int i = 0; i < ops; i++) {
                        sink += switch (c) {
                            case 0 -> b.openPlain().length;
                            case 1 -> b.openEncrypted().length;
                            case 2 -> b.sealPlain().length;
                            case 3 -> b.sealEncrypted().length;
                            case 4 -> b.openRemembered().length;
                            default -> keys.entry("bench-remote", 0, (Object) ids[i & 1023]).length();
                        };
                    }
                    if (sink == 42) {
                        System.out.print("");
                    }
                    if (round >= 0) {
                        perOp[c][round] = (cpu.getCurrentThreadCpuTime() - start) / (double) ops;
                    }
                }
            }
            double[] median = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                java.util.Arrays.sort(perOp[c]);
                median[c] = perOp[c][rounds / 2];
            }
            System.out.printf(java.util.Locale.ROOT, "payload %d bytes, CPU ns/op (median of %d rounds): open plain %.0f, "
                    + "open encrypted %.0f (%+.2f µs, %.1fx), the same bytes again %.0f; seal plain %.0f, seal encrypted %.0f "
                    + "(%+.2f µs, %.1fx); a key's name (HMAC, 1,024 keys in turn) %.0f%n", size, rounds, median[0], median[1],
                    (median[1] - median[0]) / 1000, median[1] / median[0], median[4], median[2], median[3],
                    (median[3] - median[2]) / 1000, median[3] / median[2], median[5]);
        }
    }
}
