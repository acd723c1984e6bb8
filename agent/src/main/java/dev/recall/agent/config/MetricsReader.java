package dev.recall.agent.config;

import dev.recall.agent.config.YamlNode.Entry;
import dev.recall.agent.config.YamlNode.Mapping;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code metrics:} section: the exports besides JMX. Used by one reading, on one thread. */
final class MetricsReader {

    private static final List<String> METRICS_KEYS = List.of("prometheus", "globalRegistry", "otlp");
    private static final List<String> OTLP_KEYS = List.of("url", "interval", "headers");
    private static final List<String> PROMETHEUS_KEYS = List.of("port", "host");

    private final Scalars in;
    private final Problems problems;

    MetricsReader(Scalars in) {
        this.in = in;
        this.problems = in.problems();
    }

    MetricsSettings read(YamlNode node) {
        if (node == null) {
            return MetricsSettings.NONE;
        }
        Map<String, YamlNode> m = in.mapping(node, "metrics", METRICS_KEYS);
        Boolean global = in.bool(m.get("globalRegistry"), "globalRegistry");
        boolean globalRegistry = global != null && global;
        MetricsSettings.Otlp otlp = m.containsKey("otlp") ? otlp(m.get("otlp")) : null;
        YamlNode p = m.get("prometheus");
        if (p == null) {
            return new MetricsSettings(null, globalRegistry, otlp);
        }
        Map<String, YamlNode> pm = in.mapping(p, "metrics.prometheus", PROMETHEUS_KEYS);
        String host = in.scalar(pm.get("host"), "host");
        Long port = in.nonNegativeLong(pm.get("port"), "port");
        if (port != null && port > 65_535) {
            problems.error(pm.get("port"), "metrics.prometheus port must be from 1 to 65535 (0: any free port), like "
                    + MetricsSettings.Prometheus.DEFAULT_PORT + "; got " + port);
            port = null;
        }
        return new MetricsSettings(new MetricsSettings.Prometheus(host == null || host.isBlank()
                ? MetricsSettings.Prometheus.DEFAULT_HOST : host.trim(),
                port == null ? MetricsSettings.Prometheus.DEFAULT_PORT : port.intValue()), globalRegistry, otlp);
    }

    private MetricsSettings.Otlp otlp(YamlNode node) {
        Map<String, YamlNode> m = in.mapping(node, "metrics.otlp", OTLP_KEYS);
        String url = in.scalar(m.get("url"), "url");
        URI uri = null;
        if (url == null) {
            problems.error(node, "metrics.otlp needs 'url:', the collector's metrics endpoint, like "
                    + "http://127.0.0.1:4318/v1/metrics");
            return null;
        }
        uri = in.httpAddress(m.get("url"), url, "metrics.otlp url", "http://127.0.0.1:4318/v1/metrics");
        if (uri == null) {
            return null;
        }
        Duration interval = in.duration(m.get("interval"), "interval");
        Map<String, String> headers = new LinkedHashMap<>();
        YamlNode h = m.get("headers");
        if (h instanceof Mapping hm) {
            for (Entry e : hm.entries()) {
                String v = in.scalar(e.value(), "a header");
                if (v != null) {
                    headers.put(e.key().value(), v);
                }
            }
        } else if (h != null) {
            problems.error(h, "metrics.otlp headers must be a mapping, like  headers: { Authorization: \"Bearer ${TOKEN}\" }");
        }
        return new MetricsSettings.Otlp(uri, interval == null ? MetricsSettings.Otlp.DEFAULT_INTERVAL : interval,
                Map.copyOf(headers));
    }
}
