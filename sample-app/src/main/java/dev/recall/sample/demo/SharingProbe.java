package dev.recall.sample.demo;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows one entry crossing from one instance to another: a search nobody has asked for yet goes to the
 * first instance, which runs the query and leaves the result in Redis; the same search then goes to the
 * second, which must answer it from Redis without running the query. Its counters prove it: one more
 * remote hit, no more loads. The remote hits of a whole run say the same in bulk, but some of them are
 * an instance's own entries read back from Redis after its near cache let them go; this one is not.
 */
final class SharingProbe {

    /**
     * A word of the catalogue's reviews that neither the load generator (load/RequestPicker) nor the
     * correctness check searches for, so no instance has its result yet.
     */
    private static final String WORD = "lighthouse";
    private static final String METHOD = "dev.recall.sample.catalogue.ProductRepository.search(java.lang.String)";

    /** What happened, with the second instance's counters before and after. */
    record Outcome(String loader, String reader, double loaderMillis, double readerMillis, AgentFigures.MethodCounts before,
                   AgentFigures.MethodCounts after) {
        boolean shared() {
            return after.remoteHits() == before.remoteHits() + 1 && after.loads() == before.loads();
        }

        String describe() {
            return String.format(Locale.ROOT, "GET /products/search?q=%s: instance %s ran the query (%.1f ms); instance %s then "
                            + "answered %s (%.1f ms): its RemoteHitCount for ProductRepository.search went %d -> %d, "
                            + "its LoadCount %d -> %d", WORD, loader, loaderMillis, reader,
                    shared() ? "from Redis" : "WITHOUT the entry instance " + loader + " stored", readerMillis,
                    before.remoteHits(), after.remoteHits(), before.loads(), after.loads());
        }
    }

    private SharingProbe() {
    }

    static Outcome run(ServiceInstance loader, ServiceInstance reader) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AgentFigures.MethodCounts before = AgentFigures.method(reader.monitor().connection(), METHOD);
        double loaderMillis = get(http, loader);
        double readerMillis = get(http, reader);
        AgentFigures.MethodCounts after = AgentFigures.method(reader.monitor().connection(), METHOD);
        return new Outcome(loader.name(), reader.name(), loaderMillis, readerMillis, before, after);
    }

    /** @return how long the request took, in milliseconds */
    private static double get(HttpClient http, ServiceInstance service) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(service.uri().resolve("products/search?q=" + WORD))
                .timeout(Duration.ofSeconds(30)).build();
        long began = System.nanoTime();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the sharing probe's search answered " + response.statusCode() + " on " + service.uri());
        }
        return (System.nanoTime() - began) / 1e6;
    }
}
