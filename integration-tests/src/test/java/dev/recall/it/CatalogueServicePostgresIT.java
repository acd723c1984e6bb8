package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The sample service on PostgreSQL, as the demo's {@code --jdbc-url} runs it: both services, without and
 * with the agent, on one database, so the one without the agent shows what the database holds while the
 * one with the agent writes.
 */
class CatalogueServicePostgresIT extends CatalogueServiceChecks {

    private PostgresTarget.Schema schema;

    @Override
    protected List<String> databaseArgs(boolean cached) {
        if (schema == null) {
            schema = PostgresTarget.schema(getClass().getSimpleName());
        }
        return List.of("--jdbc-url", schema.url());
    }

    @AfterAll
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void writesThroughTheAgentAreWhatAnotherServiceReadsFromTheDatabase() throws Exception {
        String search = "products/search?q=" + firstNameWord(get(cachedUri, "products/31").body());
        List<String> reads = List.of("products/31", "products/31/price?currency=EUR", search, "categories/toys/stats");
        for (String path : reads) {
            get(cachedUri, path); // cached now
        }
        Response put = send(cachedUri, "products/31", "{\"price\": 31.31, \"category\": \"toys\"}");
        assertEquals(200, put.status(), put.body());
        assertTrue(get(plainUri, "products/31").body().contains("\"price\":31.31"), "the write reached PostgreSQL");
        for (String path : reads) {
            assertEquals(get(plainUri, path).body(), get(cachedUri, path).body(),
                    path + ": the service with the agent answers what the one without it reads from PostgreSQL");
        }
    }
}
