package dev.recall.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpecAndMixTest {

    @Test
    void parsesTheDefaultMix() {
        Mix mix = Mix.parse("product=40,search=15,stats=15,price=20,write=10");
        assertEquals(Mix.DEFAULT, mix);
        assertEquals(new Mix(40, 15, 15, 20, 10), mix);
        assertEquals(100, mix.total());
        assertEquals(mix, Mix.parse(mix.toString()));
    }

    @Test
    void missingNamesWeighNothingAndSpacesAreFine() {
        assertEquals(new Mix(0, 0, 3, 0, 1), Mix.parse(" stats = 3 , write=1 "));
    }

    @Test
    void rejectsBadMixes() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Mix.parse("product=40,reviews=5"));
        assertTrue(unknown.getMessage().contains("reviews") && unknown.getMessage().contains("product, search"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("product=40,product=5"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("product"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("product=x"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("product=-1,search=5"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("product=0"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse(""));
    }

    @Test
    void picksEndpointsByWeight() {
        Mix mix = new Mix(2, 0, 1, 0, 1);
        assertEquals(Endpoint.PRODUCT, mix.pick(0));
        assertEquals(Endpoint.PRODUCT, mix.pick(1));
        assertEquals(Endpoint.STATS, mix.pick(2));
        assertEquals(Endpoint.WRITE, mix.pick(3));
        assertThrows(IllegalArgumentException.class, () -> mix.pick(4));
    }

    @Test
    void parsesDurationsAsTyped() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofMillis(1_500), Durations.parse("1.5s"));
        assertEquals(Duration.ofSeconds(7), Durations.parse("7"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-5s"));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1_500)));
        for (String s : new String[] {"500ms", "30s", "2m", "1.5s", "0s", "1.25ms"}) {
            assertEquals(Durations.parse(s), Durations.parse(Durations.format(Durations.parse(s))), s);
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        LoadSpec s = LoadSpec.defaults(URI.create("http://127.0.0.1:8080/"));
        assertEquals(Mode.OPEN, s.mode());
        assertEquals(40, s.ratePerSecond());
        assertEquals(8, s.clients());
        assertEquals(Duration.ofSeconds(10), s.warmup());
        assertEquals(Duration.ofSeconds(30), s.duration());
        assertEquals(Mix.DEFAULT, s.mix());
        assertEquals(1.1, s.zipfExponent());
        assertEquals(2_000, s.products());
        assertEquals(42, s.seed());
        assertEquals(Duration.ofMillis(100), s.apdexT());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertEquals(Mode.CLOSED, s.withClients(3).mode());
        assertEquals("closed loop 3 clients, warmup 10s, measured 30s", s.withClients(3).pacing());
        assertEquals("open loop 40 req/s, warmup 10s, measured 30s", s.pacing());
    }

    @Test
    void rejectsNonsenseSpecs() {
        LoadSpec s = LoadSpec.defaults(URI.create("http://127.0.0.1:8080/"));
        assertThrows(IllegalArgumentException.class, () -> s.withRate(0));
        assertThrows(IllegalArgumentException.class, () -> s.withClients(0));
        assertThrows(IllegalArgumentException.class, () -> s.withPhases(Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.withKeys(-1, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> s.withKeys(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> s.withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> LoadSpec.defaults(URI.create("ftp://host/")));
    }
}
