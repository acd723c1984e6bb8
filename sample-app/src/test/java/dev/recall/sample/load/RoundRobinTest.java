package dev.recall.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.sample.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several targets: the requests go to each in turn, as behind a round-robin balancer, and make one result. */
class RoundRobinTest {

    private static final URI A = URI.create("http://127.0.0.1:8080/");
    private static final URI B = URI.create("http://127.0.0.1:8081/");
    private static final URI C = URI.create("http://127.0.0.1:8082/");

    @Test
    void targetsParseFromCommasAndPrintAsTheyParse() {
        Targets two = Targets.parse(" http://127.0.0.1:8080/ ,http://127.0.0.1:8081/");
        assertEquals(List.of(A, B), two.uris());
        assertEquals(two, Targets.parse(two.toString()));
        // One target prints as the plain URI, so results saved before there could be several read the same.
        assertEquals(A.toString(), Targets.of(A).toString());
        assertEquals(Targets.of(A), Targets.parse(A.toString()));
        // Repeating a target is allowed: it then takes that many turns (a weighted balancer).
        assertEquals(3, Targets.parse("http://h:1/,http://h:1/,http://h:2/").size());
        assertThrows(IllegalArgumentException.class, () -> Targets.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Targets.parse(" , "));
        assertThrows(IllegalArgumentException.class, () -> Targets.parse("http://h:1/,ftp://h:2/"));
        assertThrows(IllegalArgumentException.class, () -> Targets.parse("http://h:1/,not a uri"));
    }

    @Test
    void requestsAlternateBetweenTargetsAndStayTheSameRequests() {
        LoadSpec one = LoadSpec.defaults(A);
        RequestPicker single = RequestPicker.create(one);
        RequestPicker three = RequestPicker.create(one.withTarget(Targets.of(A, B, C)));
        List<URI> order = List.of(A, B, C);
        for (int i = 0; i < 3_000; i++) {
            PlannedRequest alone = single.next();
            PlannedRequest balanced = three.next();
            URI target = order.get(i % 3);
            assertTrue(balanced.uri().toString().startsWith(target.toString()), i + ": " + balanced.uri());
            // Which instance gets a request does not change what the request is.
            assertEquals(alone.endpoint(), balanced.endpoint());
            assertEquals(alone.method(), balanced.method());
            assertEquals(alone.body(), balanced.body());
            assertEquals(A.relativize(alone.uri()), target.relativize(balanced.uri()));
        }
    }

    @Test
    void forksTakeTurnsTogetherAsBehindOneBalancer() {
        RequestPicker base = RequestPicker.create(LoadSpec.defaults(Targets.of(A, B)));
        RequestPicker client1 = base.fork(1);
        RequestPicker client2 = base.fork(2);
        List<String> hosts = new ArrayList<>();
        // One client sending twice in a row still leaves the next turn to the other target.
        for (RequestPicker p : List.of(client1, client1, client2, client1, client2, client2)) {
            hosts.add(Integer.toString(p.next().uri().getPort()));
        }
        assertEquals(List.of("8080", "8081", "8080", "8081", "8080", "8081"), hosts);
    }

    @Test
    void openLoopSplitsTheLoadEvenlyIntoOneResult() {
        try (ScriptedServer first = ScriptedServer.start(n -> ScriptedServer.Reply.ok(2, 30));
             ScriptedServer second = ScriptedServer.start(n -> ScriptedServer.Reply.ok(2, 30))) {
            LoadSpec spec = LoadSpec.defaults(Targets.of(first.uri(), second.uri())).withRate(50)
                    .withPhases(Duration.ofMillis(500), Duration.ofSeconds(2));
            LoadResult r = LoadGenerator.run(spec, "two", null);

            // 50 req/s over 2.5 s, warm-up included: 125 requests, alternating, so 62 or 63 each.
            assertEquals(125, first.arrivals() + second.arrivals(), 1);
            assertTrue(Math.abs(first.arrivals() - second.arrivals()) <= 1, first.arrivals() + " vs " + second.arrivals());
            assertEquals(100, r.counts().requests(), 1);
            assertEquals(r.counts().requests(), r.counts().ok());
            assertEquals(spec.target(), r.spec().target());
            assertEquals(r, LoadResult.fromJson(r.toJson()));
            assertTrue(r.toJson().contains("\"target\": \"" + first.uri() + "," + second.uri() + "\""), r.toJson());
        }
    }

    @Test
    void closedLoopClientsShareTheTurns() {
        try (ScriptedServer first = ScriptedServer.start(n -> ScriptedServer.Reply.ok(5, 30));
             ScriptedServer second = ScriptedServer.start(n -> ScriptedServer.Reply.ok(5, 30))) {
            LoadSpec spec = LoadSpec.defaults(Targets.of(first.uri(), second.uri())).withClients(3)
                    .withPhases(Duration.ZERO, Duration.ofSeconds(2));
            LoadResult r = LoadGenerator.run(spec, "two, closed", null);

            long total = first.arrivals() + second.arrivals();
            assertTrue(total >= 60, "arrivals " + total);
            // Turns are taken when a request is planned; at most one per client is planned and never sent.
            assertTrue(Math.abs(first.arrivals() - second.arrivals()) <= spec.clients() + 1,
                    first.arrivals() + " vs " + second.arrivals());
            assertEquals(total, r.counts().requests(), spec.clients());
            assertEquals(0, r.counts().errors());
        }
    }

    @Test
    void theLoadCommandTakesSeveralTargets() throws Exception {
        try (ScriptedServer first = ScriptedServer.start(n -> ScriptedServer.Reply.ok(0, 10));
             ScriptedServer second = ScriptedServer.start(n -> ScriptedServer.Reply.ok(0, 10))) {
            PrintStream stdout = System.out;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                LoadCommand.load(Options.parse(new String[] {"--target", first.uri() + "," + second.uri(),
                    "--rate", "20", "--warmup", "0s", "--duration", "1s"}, 0));
            } finally {
                System.setOut(stdout);
            }
            assertEquals(20, first.arrivals() + second.arrivals(), 1);
            assertTrue(Math.abs(first.arrivals() - second.arrivals()) <= 1, first.arrivals() + " vs " + second.arrivals());
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("target    " + first.uri() + "," + second.uri()),
                    printed.toString(StandardCharsets.UTF_8));
        }
    }
}
