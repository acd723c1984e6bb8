package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code alerts:} section of recall.yml. */
class AlertConfigTest {

    private static final String LABEL = "recall.yml";

    private static RecallConfig parse(String yaml) {
        return ConfigLoader.parse(LABEL, yaml);
    }

    private static ConfigError onlyError(String yaml) {
        RecallConfig c = parse(yaml);
        assertEquals(1, c.errors().size(), () -> "expected exactly one error, got " + c.errors());
        assertFalse(c.usable());
        return c.errors().get(0);
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    @Test
    void fullAlertsListIsParsedIntoRules() {
        RecallConfig c = parse("""
                alerts:
                  - name: low hit ratio
                    metric: hitRatio
                    below: 0.5
                    over: 2m
                    method: com.acme.Repo#find(long)
                    minCalls: 20
                  - name: slow loads
                    metric: p90LoadMillis
                    above: 200
                    over: 30s
                """);
        assertEquals(List.of(), c.errors());
        assertTrue(c.usable());
        assertEquals(2, c.alerts().size());

        AlertRule r = c.alerts().get(0);
        assertEquals("low hit ratio", r.name());
        assertEquals("hitRatio", r.condition().metric());
        assertNull(r.condition().above());
        assertEquals(0.5, r.condition().below());
        assertEquals(Duration.ofMinutes(2), r.condition().over());
        assertEquals(20, r.condition().minCalls());
        assertEquals(LABEL + ":2", r.where());
        assertTrue(r.method().matchesType("com.acme.Repo"));
        assertTrue(r.method().matchesMethod("find", List.of("long")));
        assertFalse(r.method().matchesMethod("find", List.of("int")));

        AlertRule s = c.alerts().get(1);
        assertEquals("slow loads", s.name());
        assertEquals("p90LoadMillis", s.condition().metric());
        assertEquals(200.0, s.condition().above());
        assertNull(s.condition().below());
        assertEquals(Duration.ofSeconds(30), s.condition().over());
        assertNull(s.method(), "no method: every cached method");
        assertEquals(LABEL + ":8", s.where());
    }

    @Test
    void alertsDoNotCountAsCachingRules() {
        RecallConfig c = parse("""
                alerts:
                  - metric: errors
                    above: 0
                """);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertFalse(c.hasRules());
        assertEquals(1, c.alerts().size());
    }

    @Test
    void everyMetricIsAccepted() {
        for (String metric : AlertRule.METRICS) {
            RecallConfig c = parse("alerts:\n  - metric: " + metric + "\n    above: 1\n");
            assertEquals(List.of(), c.errors(), metric);
            assertEquals(metric, c.alerts().get(0).condition().metric());
        }
    }

    @Test
    void defaultsAreOneMinuteTenCallsAndANumberedName() {
        RecallConfig c = parse("""
                alerts:
                  - metric: hitRatio
                    below: 0.5
                  - metric: maxLoadMillis
                    above: 1000
                """);
        assertEquals(List.of(), c.errors());
        AlertRule first = c.alerts().get(0);
        assertEquals("alert 1", first.name());
        assertEquals(Duration.ofMinutes(1), first.condition().over());
        assertEquals(10, first.condition().minCalls());
        assertNull(first.method());
        assertEquals("alert 2", c.alerts().get(1).name());
    }

    @Test
    void thresholdsAcceptIntegersDecimalsAndUnderscores() {
        RecallConfig c = parse("""
                alerts:
                  - metric: maxLoadMillis
                    above: 1_500
                  - metric: hitRatio
                    below: .25
                """);
        assertEquals(List.of(), c.errors());
        assertEquals(1500.0, c.alerts().get(0).condition().above());
        assertEquals(0.25, c.alerts().get(1).condition().below());
    }

    @Test
    void windowBoundsOneSecondAndTenMinutesAreAllowed() {
        RecallConfig c = parse("""
                alerts:
                  - metric: errors
                    above: 0
                    over: 1s
                  - metric: errors
                    above: 0
                    over: 10m
                """);
        assertEquals(List.of(), c.errors());
        assertEquals(Duration.ofSeconds(1), c.alerts().get(0).condition().over());
        assertEquals(Duration.ofMinutes(10), c.alerts().get(1).condition().over());
    }

    @Test
    void unknownMetricSuggestsTheClosest() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: hitRatoi
                    below: 0.5
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("unknown alert metric 'hitRatoi'", e.message());
        assertContains("did you mean 'hitRatio'?", e.message());
        assertTrue(parse("alerts:\n  - metric: hitRatoi\n    below: 0.5\n").alerts().isEmpty());
    }

    @Test
    void unrecognisableMetricListsTheMetrics() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: throughput
                    above: 5
                """);
        assertContains("unknown alert metric 'throughput'", e.message());
        assertContains("p90LoadMillis", e.message());
        assertContains("savedMillisPerSecond", e.message());
    }

    @Test
    void missingMetricIsReported() {
        ConfigError e = onlyError("""
                alerts:
                  - name: nameless
                    below: 0.5
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("needs 'metric:'", e.message());
        assertContains("hitRatio", e.message());
    }

    @Test
    void bothAboveAndBelowIsAnError() {
        ConfigError e = onlyError("""
                defaults:
                  ttl: 5m
                alerts:
                  - metric: hitRatio
                    above: 0.9
                    below: 0.5
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("exactly one of 'above:' or 'below:'", e.message());
    }

    @Test
    void neitherAboveNorBelowIsAnError() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: p90LoadMillis
                    over: 1m
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("exactly one of 'above:' or 'below:'", e.message());
        assertContains("for example", e.message());
    }

    /** One mistake, one message: the threshold is written, so "needs exactly one of above/below" would be false. */
    @Test
    void nonNumericThresholdIsOneError() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: p90LoadMillis
                    above: 200ms
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("'above' must be a number", e.message());
        assertContains("got '200ms'", e.message());
    }

    @Test
    void nonNumericThresholdIsReportedOnItsLine() {
        RecallConfig c = parse("""
                alerts:
                  - metric: hitRatio
                    below: half
                """);
        assertFalse(c.usable());
        assertTrue(c.alerts().isEmpty());
        ConfigError number = c.errors().stream().filter(e -> e.message().contains("must be a number")).findFirst()
                .orElseThrow(() -> new AssertionError("no error about the number: " + c.errors()));
        assertEquals(LABEL + ":3", number.where());
        assertContains("'below' must be a number, like 0.5 or 200; got 'half'", number.message());
    }

    @Test
    void windowOverTenMinutesIsAnError() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: hitRatio
                    below: 0.5
                    over: 11m
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("must be between 1s and 10m", e.message());
        assertContains("got 11m", e.message());
    }

    @Test
    void windowUnderOneSecondIsAnError() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: hitRatio
                    below: 0.5
                    over: 500ms
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("must be between 1s and 10m, got 500ms", e.message());
    }

    @Test
    void unparsableWindowIsAnError() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: hitRatio
                    below: 0.5
                    over: a while
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("bad duration", e.message());
        assertContains(Durations.FORMS, e.message());
    }

    @Test
    void badMethodPatternIsAnErrorWithASuggestion() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: hitRatio
                    below: 0.5
                    method: com.acme.Repo.find(long)
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("has no '#'", e.message());
        assertContains("did you mean 'com.acme.Repo#find(long)'?", e.message());
        assertTrue(parse("alerts:\n  - metric: hitRatio\n    below: 0.5\n    method: com.acme.Repo.find(long)\n").alerts().isEmpty());
    }

    @Test
    void methodPatternWithoutParametersIsAnError() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: errors
                    above: 0
                    method: com.acme.Repo#find
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("has no parameter list", e.message());
    }

    @Test
    void unknownKeyInAnAlertsEntrySuggestsTheClosest() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: hitRatio
                    below: 0.5
                    minCall: 5
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("unknown key 'minCall' in an alerts entry", e.message());
        assertContains("did you mean 'minCalls'?", e.message());
    }

    @Test
    void unknownKeyFarFromAnyListsTheKeys() {
        ConfigError e = onlyError("""
                alerts:
                  - metric: hitRatio
                    below: 0.5
                    severity: high
                """);
        assertContains("unknown key 'severity' in an alerts entry", e.message());
        assertContains("expected one of name, metric, above, below, over, method, minCalls", e.message());
    }

    @Test
    void alertsMustBeAList() {
        ConfigError e = onlyError("""
                alerts:
                  metric: hitRatio
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("'alerts:' must be a list", e.message());
    }

    @Test
    void errorsOfSeveralEntriesAreAllReportedInLineOrder() {
        RecallConfig c = parse("""
                alerts:
                  - metric: hitRatio
                    below: 0.5
                    over: 1h
                  - metric: nope
                    above: 1
                  - metric: errors
                    above: 0
                """);
        assertEquals(List.of(LABEL + ":4", LABEL + ":5"), c.errors().stream().map(ConfigError::where).toList());
        assertEquals(1, c.alerts().size(), "the valid entry is still read");
        assertEquals("errors", c.alerts().get(0).condition().metric());
    }

    @Test
    void describeSaysMetricDirectionThresholdAndWindow() {
        assertEquals("hitRatio below 0.5 over 1m",
                new AlertRule("a", new AlertRule.Condition("hitRatio", null, 0.5, Duration.ofMinutes(1), 10), null, "x", null).describe());
        assertEquals("p90LoadMillis above 200 over 30s",
                new AlertRule("b", new AlertRule.Condition("p90LoadMillis", 200.0, null, Duration.ofSeconds(30), 10), null, "x", null).describe());
        assertEquals("maxLoadMillis above 1.5 over 1500ms",
                new AlertRule("c", new AlertRule.Condition("maxLoadMillis", 1.5, null, Duration.ofMillis(1500), 10), null, "x", null).describe());
        assertEquals("errors above 0 over 10m",
                new AlertRule("d", new AlertRule.Condition("errors", 0.0, null, Duration.ofMinutes(10), 10), null, "x", null).describe());
    }

    @Test
    void describeOfAParsedRule() {
        RecallConfig c = parse("""
                alerts:
                  - metric: savedMillisPerSecond
                    below: 12.5
                    over: 5m
                """);
        assertEquals("savedMillisPerSecond below 12.5 over 5m", c.alerts().get(0).describe());
    }

    @Test
    void aWebhookIsAnHttpAddressOrSaysWhatToWrite() {
        RecallConfig ok = ConfigLoader.parse("recall.yml", "alerts:\n  - metric: hitRatio\n    below: 0.5\n"
                + "    webhook: https://hooks.slack.com/services/T0/B0/X\n");
        assertTrue(ok.usable(), () -> ok.errors().toString());
        assertEquals(java.net.URI.create("https://hooks.slack.com/services/T0/B0/X"), ok.alerts().get(0).webhook());
        RecallConfig bad = ConfigLoader.parse("recall.yml", "alerts:\n  - metric: hitRatio\n    below: 0.5\n"
                + "    webhook: ftp://example.com/x\n");
        assertEquals(1, bad.errors().size(), bad.errors()::toString);
        assertTrue(bad.errors().get(0).message().contains("webhook must be an http:// or https:// address"),
                bad.errors().get(0).message());
        assertEquals("recall.yml:4", bad.errors().get(0).where());
    }
}
