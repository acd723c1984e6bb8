package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.bridge.Bridge;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a call passes through, with the agent as a user runs it ({@code -javaagent}, the woven class, the
 * bridge in the boot loader) and measured exactly: JFR's method tracing (JDK 25, JEP 520) records each invocation
 * of every agent class's methods and of the woven class's, and {@link ReadPathMethodTrace} lists the source files
 * whose methods the calling thread ran during one call. Unlike {@link ReadPathTraceTest} (the method's first call,
 * one-off work included), the miss and the hit measured here are as every later call makes them: a
 * {@code READ_THROUGH} miss that is not the method's first, a hit, and the same on Redis. Issue 23 asked for a
 * narrow read path; these bounds fail the build if it grows. Each bound is the count when it was set, the woven
 * class's file and the bridge's counted (the agent jar is built here from the compiled classes, unshaded: the
 * libraries are on the class path as they are).
 */
class ReadPathMethodTraceTest {

    /** CI has JDK 25 here; JFR's method tracing needs 25 or later. */
    private static final Path JDK25 = Path.of(System.getProperty("recall.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

    /**
     * The bounds, as measured when they were set (an instance method, whose entries are kept apart per receiver
     * state, with Spring's transactions on the class path, whose state a read checks): a local miss was 28 files before
     * {@code Looked} and {@code JfrEvents} were folded into the one class they served. A method's first call passes
     * through one file more since read sites are compiled per kind of key ({@code CompiledSites}, a job of its own).
     */
    private static final int FIRST_MISS_FILES = 52;
    private static final int MISS_FILES = 26;
    private static final int HIT_FILES = 13;
    private static final int REDIS_MISS_FILES = 47;
    private static final int REDIS_HIT_FILES = 36;

    @TempDir
    static Path dir;
    private static Path agentJar;

    @BeforeAll
    static void agentJar() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(java()), "no JDK 25 at " + JDK25 + " (set -Drecall.jdk25): JFR's "
                + "method tracing, which this test uses, is in JDK 25 and later");
        agentJar = dir.resolve("recall-agent-unshaded.jar");
        Path classes = Path.of(Bridge.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "dev.recall.agent.RecallAgent");
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        manifest.getMainAttributes().putValue("Can-Redefine-Classes", "true");
        try (OutputStream file = Files.newOutputStream(agentJar); JarOutputStream jar = new JarOutputStream(file, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
    }

    private static Path java() {
        return JDK25.resolve("bin").resolve("java");
    }

    /**
     * Runs {@link ReadPathMethodTrace} with the agent (and {@code config}, if any) and returns each phase's files; all
     * of them are printed.
     */
    private static Map<String, List<String>> phases(String store, String config) throws Exception {
        Path classes = Path.of(Bridge.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classPath = new ArrayList<>(List.of(agentJar.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty() && !Path.of(entry).toAbsolutePath().equals(classes.toAbsolutePath())) {
                classPath.add(entry);
            }
        }
        String agent = "-javaagent:" + agentJar + (config == null ? "" : "=config=" + config);
        Process p = new ProcessBuilder(java().toString(), agent, "-cp", String.join(File.pathSeparator, classPath),
                ReadPathMethodTrace.class.getName(), store, agentJar.toString(), dir.resolve(store + ".jfr").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Map<String, List<String>> phases = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("files ")) {
                String[] words = line.split(" ");
                List<String> files = List.of(words).subList(2, words.length);
                phases.put(words[1], files);
                System.out.println(store + " " + words[1] + ": " + files.size() + " files " + files);
            }
        }
        return phases;
    }

    @Test
    void aLocalReadThroughMissAndHitPassThroughFewFiles() throws Exception {
        Map<String, List<String>> phases = phases("local", null);
        assertEquals(List.of("first-miss", "first-hit", "miss", "hit"), List.copyOf(phases.keySet()));
        List<String> miss = phases.get("miss");
        assertTrue(miss.contains("com/acme/fixtures/TracedRepository.java") && miss.contains("agent/store/LocalStore.java"),
                "the woven class and the store are in the trace: " + miss);
        assertTrue(miss.size() <= MISS_FILES, "a local miss: " + miss.size() + " files " + miss);
        assertTrue(phases.get("hit").size() <= HIT_FILES, "a local hit: " + phases.get("hit"));
        assertTrue(phases.get("first-miss").size() <= FIRST_MISS_FILES, "the first miss: " + phases.get("first-miss"));
    }

    /** Redis alone (no near cache): every read crosses the network, and a hit decodes what it read. */
    @Test
    void aRedisMissAndHitPassThroughFewFiles() throws Exception {
        URI uri = URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 1000);
        } catch (IOException e) {
            Assumptions.abort("no Redis at " + uri + ": " + e);
        }
        Path config = dir.resolve("redis.yml");
        Files.writeString(config, "defaults:\n  ttl: 1m\nstore: redis\nredis:\n  uri: " + uri + "\n  timeout: 1s\n"
                + "  keyPrefix: \"recall-unit-trace-" + UUID.randomUUID().toString().substring(0, 8) + ":\"\n"
                + "  secret: 0123456789abcdef0123456789abcdef\n");
        Map<String, List<String>> phases = phases("redis", config.toString());
        assertEquals(List.of("miss", "hit"), List.copyOf(phases.keySet()));
        List<String> hit = phases.get("hit");
        assertTrue(hit.contains("agent/store/remote/RedisStore.java"), "the hit read Redis: " + hit);
        assertTrue(hit.size() <= REDIS_HIT_FILES, "a Redis hit: " + hit.size() + " files " + hit);
        assertTrue(phases.get("miss").size() <= REDIS_MISS_FILES, "a Redis miss: " + phases.get("miss"));
    }
}
