package dev.recall.sample.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The client against the stand-in API over real HTTP, and what it makes of answers the API never gives. */
class ExchangeRatesClientTest {

    @Test
    void readsTheRateTheApiAnswers() throws Exception {
        try (ExchangeRatesServer api = ExchangeRatesServer.start(0, 0, 0, 0)) {
            ExchangeRatesClient client = new ExchangeRatesClient(api.baseUri());
            assertEquals(new BigDecimal("1.0834"), client.rate("EUR", "USD"));
            assertEquals(new BigDecimal("149.8523"), client.rate("USD", "JPY"));
            ExchangeRateException unknown = assertThrows(ExchangeRateException.class, () -> client.rate("EUR", "XXX"));
            assertEquals(404, unknown.status());
        }
    }

    @Test
    void theRateKeepsItsScaleAndAnythingElseIsReported() {
        assertEquals("1.0800", ExchangeRatesClient.parseRate("{\"from\":\"EUR\",\"to\":\"X\",\"rate\":1.0800}").toPlainString());
        assertThrows(ExchangeRateException.class, () -> ExchangeRatesClient.parseRate("{\"from\":\"EUR\"}"));
        assertThrows(ExchangeRateException.class, () -> ExchangeRatesClient.parseRate("{\"rate\":\"soon\"}"));
        assertThrows(ExchangeRateException.class, () -> ExchangeRatesClient.parseRate("rate: 1.08"));
    }
}
