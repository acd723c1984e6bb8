package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.recall.it.app.metrics.MetricsApp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.otlp}: an HTTP receiver in the test stands for an OpenTelemetry collector and decodes what the
 * agent pushes with the OpenTelemetry proto classes; the meters arrive under their names, with their tags as
 * attributes, and the last push after the load agrees with the MBeans.
 */
class OtlpIT {

    private static final String PRICE = "dev.recall.it.app.metrics.MetricsApp.price(int)";

    @TempDir
    Path dir;

    @Test
    void theMetersArePushedOverOtlpAndAgreeWithTheMBeans() throws Exception {
        List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        List<String> apiKeys = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/v1/metrics", exchange -> {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            apiKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Api-Key")));
            received.add(ExportMetricsServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            Path config = dir.resolve("recall.yml");
            Files.writeString(config, "metrics:\n  otlp:\n    url: http://127.0.0.1:" + collector.getAddress().getPort()
                    + "/v1/metrics\n    interval: 1s\n    headers: { X-Api-Key: secret-of-the-test }\n");
            AppJvm.Running app = AppJvm.main(MetricsApp.class).agentOptions("config=" + config)
                    .jvmArg("-Drecall.jmx.delay=0s").args("5").start();
            app.awaitLine("figures printed", Duration.ofSeconds(60));
            int before = received.size();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (received.size() < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            app.send("exit");
            Result r = app.await(Duration.ofSeconds(20)).assertSucceeded();
            assertFalse(received.isEmpty(), "nothing pushed\n" + r);
            assertTrue(contentTypes.stream().allMatch(t -> t != null && t.startsWith("application/x-protobuf")), contentTypes::toString);
            assertTrue(apiKeys.stream().allMatch("secret-of-the-test"::equals), "the configured header: " + apiKeys);
            ExportMetricsServiceRequest last = received.get(received.size() - 1);
            double hits = sum(last, "cache.gets", PRICE, "hit");
            double misses = sum(last, "cache.gets", PRICE, "miss");
            assertEquals(Double.parseDouble(r.value("mbean.price.HitCount")), hits, "hits, as the MBean says\n" + r);
            assertEquals(Double.parseDouble(r.value("mbean.price.MissCount")), misses, "misses\n" + r);
            assertTrue(names(last).containsAll(List.of("cache.gets", "cache.puts", "cache.size", "cache.loads", "recall.saved")),
                    names(last)::toString);
        } finally {
            collector.stop(0);
        }
    }

    private static List<String> names(ExportMetricsServiceRequest request) {
        List<String> names = new ArrayList<>();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    names.add(m.getName());
                }
            }
        }
        return names;
    }

    /** The value of the (cumulative) sum {@code name} for one method and result. */
    private static double sum(ExportMetricsServiceRequest request, String name, String method, String result) {
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    if (!m.getName().equals(name)) {
                        continue;
                    }
                    for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                        if (method.equals(attribute(p.getAttributesList(), "method"))
                                && result.equals(attribute(p.getAttributesList(), "result"))) {
                            return p.hasAsDouble() ? p.getAsDouble() : p.getAsInt();
                        }
                    }
                }
            }
        }
        throw new AssertionError("no " + name + "{method=" + method + ",result=" + result + "} in " + names(request));
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                return kv.getValue().getStringValue();
            }
        }
        return null;
    }
}
