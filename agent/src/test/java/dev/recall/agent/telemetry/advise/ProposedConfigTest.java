package dev.recall.agent.telemetry.advise;

import dev.recall.agent.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.advise.Proposal;
import dev.recall.agent.advise.Advisor;
import dev.recall.agent.config.ConfigLoader;
import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.config.RecallConfig;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import dev.recall.bridge.Site;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the advisor proposes reads back as a configuration the agent accepts, rule for rule. */
class ProposedConfigTest {

    private static void calls(Site site, int n, Object argument0, Object argument1, Object result, long busyNanos) {
        for (int i = 0; i < n; i++) {
            Object call = site.enter(null, argument0, argument1, null);
            long end = System.nanoTime() + busyNanos;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            site.exit((Call) call, result, null);
        }
    }

    @Test
    void theProposedFileLoadsWithOneRulePerRecommendedMethodAndTheTableShowsThem() {
        Advisor advisor = new Advisor();
        Site rates = Bridge.site(advisor.observe(new MethodSignature("com.acme.fx.RatesClient", "rate",
                List.of("java.lang.String", "java.lang.String")), "java.math.BigDecimal", true));
        Site nested = Bridge.site(advisor.observe(new MethodSignature("com.acme.Outer$Inner", "find", List.of("long[]")),
                "java.lang.String", true));
        Site clock = Bridge.site(advisor.observe(new MethodSignature("com.acme.Clock", "now", List.of("java.lang.String")),
                "java.lang.Long", true));
        calls(rates, 40, "EUR", "USD", new java.math.BigDecimal("1.08"), 300_000);
        calls(nested, 40, new long[] {1, 2}, null, "found", 300_000);
        for (int i = 0; i < 40; i++) {
            calls(clock, 1, "utc", null, System.nanoTime(), 100_000);
        }
        Proposal proposal = advisor.proposal();
        String yaml = ProposedConfig.render(proposal);
        RecallConfig config = ConfigLoader.parse("proposed.yml", yaml);
        assertTrue(config.usable(), () -> config.errors() + "\n" + yaml);
        assertEquals(0.01, config.defaults().verify(), 1e-12);
        assertEquals(2, config.methods().size(), yaml);
        assertTrue(config.methods().stream().anyMatch(r -> r.pattern().matchesType("com.acme.fx.RatesClient")
                && r.pattern().matchesMethod("rate", List.of("java.lang.String", "java.lang.String"))), yaml);
        assertTrue(config.methods().stream().anyMatch(r -> r.pattern().matchesType("com.acme.Outer$Inner")
                && r.pattern().matchesMethod("find", List.of("long[]"))), yaml);
        assertTrue(config.methods().stream().allMatch(r -> r.get(Settings.TTL) != null && r.get(Settings.TTL).compareTo(Duration.ZERO) > 0), yaml);

        String table = ProposalTable.render(proposal);
        assertTrue(table.matches("(?s).*\\n[12] +RatesClient\\.rate\\(String,String\\) .*"), table);
        assertTrue(table.contains("Clock.now(String)") && table.contains("result differs for equal arguments"), table);
        assertTrue(table.contains("observed 3 methods for"), table);
    }
}
