package dev.recall.agent.telemetry;

import dev.recall.agent.config.MetricsSettings;
import dev.recall.agent.log.Log;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code metrics.otlp}: the meters pushed over OTLP/HTTP (protobuf) with Micrometer's OTLP registry, shaded
 * into the agent with its protobuf classes. The registry pushes on a daemon thread of its own every
 * {@code interval}, cumulative sums and gauges; a collector that does not answer is said once (Micrometer's
 * warning, through the agent's log) and the application runs on.
 */
public final class OtlpExport {

    private OtlpExport() {
    }

    public static OtlpMeterRegistry registry(MetricsSettings.Otlp settings) {
        String headers = settings.headers().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        Map<String, String> values = Map.of(
                "otlp.url", settings.url().toString(),
                "otlp.step", settings.interval().toMillis() + "ms",
                "otlp.headers", headers);
        OtlpConfig config = values::get;
        OtlpMeterRegistry registry = new OtlpMeterRegistry(config, Clock.SYSTEM);
        Log.info("metrics.otlp: pushing the meters to " + settings.url() + " every " + settings.interval().toMillis() + " ms");
        return registry;
    }
}
