package dev.recall.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The servers a suite needs when the environment names none ({@code REDIS_URL}, {@code DATABASE_URL}):
 * containers, where a Docker engine answers. Without either, a test is skipped with a message saying what
 * to set, unless {@code RECALL_REQUIRE_SERVICES=true} (as in CI, which has servers and no Docker engine):
 * then it fails, so that CI can never pass by skipping.
 *
 * <p>Containers are started once per test JVM and stopped by Testcontainers' reaper when it ends.
 */
final class Containers {

    static final String REQUIRE = "RECALL_REQUIRE_SERVICES";

    /** Where a container's service answers. */
    record Address(String host, int port) {
    }

    private static final Map<String, Address> STARTED = new ConcurrentHashMap<>();

    private Containers() {
    }

    /**
     * A container of {@code image} serving {@code port}, ready once its log matched {@code readyLog}
     * ({@code times} times), or {@code null} if no Docker engine answers.
     */
    static synchronized Address start(String image, int port, Map<String, String> env, String readyLog, int times) {
        Address known = STARTED.get(image);
        if (known != null) {
            return known;
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return null;
        }
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(port)
                .withEnv(env)
                .waitingFor(Wait.forLogMessage(readyLog, times).withStartupTimeout(Duration.ofMinutes(2)));
        c.start();
        Address a = new Address(c.getHost(), c.getMappedPort(port));
        STARTED.put(image, a);
        return a;
    }

    /** Skips the calling test, or fails it under {@code RECALL_REQUIRE_SERVICES=true}. */
    static <T> T missing(String message) {
        if (Boolean.parseBoolean(System.getenv(REQUIRE))) {
            throw new AssertionError(REQUIRE + "=true and " + message);
        }
        // Said on stdout as well: a class skipped in its @BeforeAll shows in Surefire's summary as no tests at all.
        System.out.println("SKIPPED: " + message);
        Assumptions.abort(message);
        return null;
    }
}
