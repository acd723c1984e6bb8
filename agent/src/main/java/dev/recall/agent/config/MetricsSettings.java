package dev.recall.agent.config;

/**
 * The {@code metrics:} section: where the meters are exported besides JMX. Immutable.
 *
 * @param prometheus the Prometheus endpoint, or {@code null}: none (the default)
 * @param globalRegistry whether the meters are also registered in the application's own Micrometer
 *     ({@code Metrics.globalRegistry}), where Spring Boot Actuator finds them
 */
public record MetricsSettings(Prometheus prometheus, boolean globalRegistry) {

    public static final MetricsSettings NONE = new MetricsSettings(null, false);

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
