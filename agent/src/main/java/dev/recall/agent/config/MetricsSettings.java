package dev.recall.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code metrics:} section: where the meters are exported besides JMX. Immutable.
 *
 * @param prometheus the Prometheus endpoint, or {@code null}: none (the default)
 * @param globalRegistry whether the meters are also registered in the application's own Micrometer
 *     ({@code Metrics.globalRegistry}), where Spring Boot Actuator finds them
 * @param otlp the OTLP push, or {@code null}: none (the default)
 */
public record MetricsSettings(Prometheus prometheus, boolean globalRegistry, Otlp otlp) {

    public static final MetricsSettings NONE = new MetricsSettings(null, false, null);

    /**
     * {@code metrics.otlp}: the meters pushed over OTLP/HTTP (protobuf) with Micrometer's OTLP registry.
     *
     * @param url the collector's metrics endpoint, like {@code http://127.0.0.1:4318/v1/metrics}
     * @param interval how often they are pushed (the registry's step)
     * @param headers sent with each push (an API key, for example)
     */
    public record Otlp(URI url, Duration interval, Map<String, String> headers) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    }

    /**
     * {@code metrics.prometheus}: the Prometheus text format served at {@code /metrics}.
     *
     * @param host the address to listen on ({@code 127.0.0.1} unless said: the figures name the application's
     *     methods, which are not for every network)
     * @param port the port; 0: any free one, said on stderr
     */
    public record Prometheus(String host, int port) {
        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 9464;
    }
}
