package dev.recall.sample.demo;

import dev.recall.sample.redis.Redis;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * This demo run's part of a Redis server, which the instances with the agent share as their cache: a key
 * prefix no other run uses (so runs never see each other's entries, nor hear each other's invalidations,
 * whose channel carries the prefix too), a secret the entries are signed with, the agent configuration
 * that names both, and, when closed, the deletion of every key under the prefix.
 *
 * <p>The secret reaches the instances through their environment ({@code ${RECALL_SECRET}} in the file),
 * as the agent's documentation recommends, so it is never written to disk; so does a password in the
 * Redis URI.
 */
final class SharedCache implements AutoCloseable {

    private static final String SECRET_VARIABLE = "RECALL_SECRET";
    private static final String URI_VARIABLE = "RECALL_REDIS_URI";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Sections the demo adds; a configuration that has them already would end up with two of each. */
    private static final Pattern ADDED_SECTIONS = Pattern.compile("(?m)^(store|redis|near)\\s*:");

    private final URI redis;
    /** {@code host:port} of the Memcached the instances share instead ({@code --memcached}); {@code null} on Redis. */
    private final String memcached;
    private final String keyPrefix;
    private final Map<String, String> environment;
    private final Path config;

    private SharedCache(URI redis, String memcached, String keyPrefix, Map<String, String> environment, Path config) {
        this.redis = redis;
        this.memcached = memcached;
        this.keyPrefix = keyPrefix;
        this.environment = environment;
        this.config = config;
    }

    /**
     * {@code --memcached HOST:PORT}: checks that Memcached answers, then writes {@code recall-memcached.yml} into
     * {@code outDir}: {@code baseConfig} plus {@code store: memcached} and a {@code memcached:} section for this run
     * (no near cache: Memcached has no pub/sub to keep one right).
     */
    static SharedCache memcached(String hostPort, Path baseConfig, Path outDir) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || !hostPort.substring(colon + 1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("--memcached takes HOST:PORT, like 127.0.0.1:11211; got '" + hostPort + "'");
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                    (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write("version\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[8];
            int n = socket.getInputStream().read(answer);
            if (n < 7 || !new String(answer, 0, 7, StandardCharsets.US_ASCII).equals("VERSION")) {
                throw new IOException("it did not answer 'version' as Memcached does");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Memcached at " + hostPort + " does not answer (" + e.getMessage()
                    + "): start it, or give another --memcached HOST:PORT", e);
        }
        String base = Files.readString(baseConfig, StandardCharsets.UTF_8);
        if (Pattern.compile("(?m)^(store|redis|near|memcached)\\s*:").matcher(base).find()) {
            throw new IllegalArgumentException(baseConfig + " already has a store:, redis:, memcached: or near: section; "
                    + "--memcached adds its own, so give a configuration without them (--config)");
        }
        SecureRandom random = new SecureRandom();
        String keyPrefix = "recall-demo-" + HexFormat.of().formatHex(bytes(random, 4)) + ":";
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, 24));
        Path config = outDir.resolve("recall-memcached.yml");
        Files.writeString(config, base + (base.endsWith("\n") ? "" : "\n") + String.join("\n",
                "",
                "# Added by the demo for --memcached: the instances share one cache in Memcached (no near cache: Memcached",
                "# cannot tell the instances of each other's writes). The key prefix belongs to this run alone.",
                "store: memcached",
                "memcached:",
                "  servers: [" + hostPort + "]",
                "  secret: ${" + SECRET_VARIABLE + "}   # random for this run, given to the instances in their environment",
                "  keyPrefix: \"" + keyPrefix + "\"",
                "  allowClasses: [dev.recall.sample.**]   # the sample's model classes may be read back from Memcached",
                ""), StandardCharsets.UTF_8);
        return new SharedCache(null, hostPort, keyPrefix, Map.of(SECRET_VARIABLE, secret), config);
    }

    /** "Redis" or "Memcached", for messages and the report. */
    String store() {
        return memcached == null ? "Redis" : "Memcached";
    }

    /** What the configuration adds: {@code two-level} over Redis, {@code memcached}. */
    String storeKind() {
        return memcached == null ? "two-level" : "memcached";
    }

    /**
     * Checks that Redis answers, then writes {@code recall-redis.yml} into {@code outDir}: {@code baseConfig}
     * plus {@code store: two-level} and a {@code redis:} section for this run.
     *
     * @throws IllegalArgumentException if Redis does not answer, or the base configuration already chooses a store
     */
    static SharedCache create(URI redis, Path baseConfig, Path outDir) throws IOException {
        // An agent that cannot reach Redis runs the methods uncached (it fails open), which would make a demo
        // of nothing; better to say so before anything starts.
        try (RedisClient connection = Redis.connect(redis, TIMEOUT)) {
            connection.ping();
        } catch (JedisException e) {
            throw new IllegalArgumentException("Redis at " + shown(redis) + " does not answer (" + e.getMessage()
                    + "): start it, or give another --redis URI", e);
        }
        String base = Files.readString(baseConfig, StandardCharsets.UTF_8);
        if (ADDED_SECTIONS.matcher(base).find()) {
            throw new IllegalArgumentException(baseConfig + " already has a store:, redis: or near: section; --redis adds "
                    + "its own, so give a configuration without them (--config)");
        }
        SecureRandom random = new SecureRandom();
        String keyPrefix = "recall-demo-" + HexFormat.of().formatHex(bytes(random, 4)) + ":";
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, 24));
        boolean credentials = redis.getUserInfo() != null;
        Map<String, String> environment = credentials
                ? Map.of(SECRET_VARIABLE, secret, URI_VARIABLE, redis.toString())
                : Map.of(SECRET_VARIABLE, secret);
        String uri = credentials ? "${" + URI_VARIABLE + "}" : "\"" + redis + "\"";
        Path config = outDir.resolve("recall-redis.yml");
        Files.writeString(config, base + (base.endsWith("\n") ? "" : "\n") + String.join("\n",
                "",
                "# Added by the demo for --redis: the instances share one cache in Redis, each with a small near cache in",
                "# front of it that the others' writes invalidate. The key prefix belongs to this run alone, so runs never",
                "# see each other's entries; the demo deletes the run's keys when it ends.",
                "store: two-level",
                "redis:",
                "  uri: " + uri + (credentials ? "   # from the instances' environment: the password stays out of this file" : ""),
                "  secret: ${" + SECRET_VARIABLE + "}   # random for this run, given to the instances in their environment",
                "  keyPrefix: \"" + keyPrefix + "\"",
                "  allowClasses: [dev.recall.sample.**]   # the sample's model classes may be read back from Redis",
                ""), StandardCharsets.UTF_8);
        return new SharedCache(redis, null, keyPrefix, environment, config);
    }

    /** The agent configuration the instances start with. */
    Path config() {
        return config;
    }

    /** What the instances' environment must hold for {@link #config()}. */
    Map<String, String> environment() {
        return environment;
    }

    String keyPrefix() {
        return keyPrefix;
    }

    /** The Redis URI without its password (or Memcached's host:port), for messages and the report. */
    String redis() {
        return memcached != null ? memcached : shown(redis);
    }

    /**
     * Deletes this run's keys. Called once the instances are stopped, so nothing writes them meanwhile; a
     * failure is reported with the command that does it by hand, and does not fail the demo.
     */
    @Override
    public void close() {
        if (memcached != null) {
            // Memcached lists no keys by prefix (short of a crawler dump): the run's entries expire by their TTL.
            System.out.println("Memcached: this run's keys (prefix " + keyPrefix + ") are left to expire by their TTL");
            return;
        }
        try (RedisClient connection = Redis.connect(redis, TIMEOUT)) {
            long deleted = Redis.deleteKeysStartingWith(connection, keyPrefix);
            System.out.println("Redis: deleted this run's " + deleted + " keys (prefix " + keyPrefix + ") from " + redis());
        } catch (JedisException e) {
            System.out.println("Redis: could not delete this run's keys (" + e.getMessage() + "); to do it by hand: "
                    + "redis-cli --scan --pattern '" + keyPrefix + "*' | xargs -r redis-cli del");
        }
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String shown(URI uri) {
        return uri.toString().replaceAll("//[^@/]*@", "//***@");
    }
}
