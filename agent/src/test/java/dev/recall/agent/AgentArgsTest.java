package dev.recall.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentArgsTest {

    private String savedConfig;
    private String savedStrict;

    @BeforeEach
    void clearProperties() {
        savedConfig = System.clearProperty("recall.config");
        savedStrict = System.clearProperty("recall.strict");
    }

    @AfterEach
    void restoreProperties() {
        restore("recall.config", savedConfig);
        restore("recall.strict", savedStrict);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    /** The configuration a run gets with neither agent arguments nor -D: RECALL_CONFIG, if set. */
    private static Object environmentConfig() {
        String env = System.getenv("RECALL_CONFIG");
        return env == null || env.isBlank() ? null : Paths.get(env);
    }

    @Test
    void parsesConfigAndStrict() {
        AgentArgs a = AgentArgs.parse("config=/x/recall.yml,strict=true");
        assertEquals(Paths.get("/x/recall.yml"), a.config());
        assertTrue(a.strict());
    }

    @Test
    void adviseTakesEveryPatternUpToTheNextOption() {
        AgentArgs a = AgentArgs.parse("advise=com.acme.**,com.other.**,config=/x/recall.yml,strict=true");
        assertEquals(java.util.List.of("com.acme.**", "com.other.**"), a.advise());
        assertEquals(java.nio.file.Paths.get("/x/recall.yml"), a.config());
        assertTrue(a.strict());
        assertEquals(java.util.List.of(), AgentArgs.parse("config=/x/recall.yml").advise());
    }

    @Test
    void trimsSpacesAroundOptions() {
        AgentArgs a = AgentArgs.parse(" config = /x/recall.yml , strict = true ");
        assertEquals(Paths.get("/x/recall.yml"), a.config());
        assertTrue(a.strict());
    }

    @Test
    void strictWithoutValueMeansTrue() {
        assertTrue(AgentArgs.parse("strict").strict());
    }

    @Test
    void strictFalseIsFalse() {
        System.setProperty("recall.strict", "true");
        assertFalse(AgentArgs.parse("strict=false").strict(), "the agent argument wins over -Drecall.strict");
    }

    @Test
    void configOnlyIsNotStrict() {
        AgentArgs a = AgentArgs.parse("config=/x/recall.yml");
        assertEquals(Paths.get("/x/recall.yml"), a.config());
        assertFalse(a.strict());
    }

    @Test
    void unknownOptionIsIgnored() {
        AgentArgs a = AgentArgs.parse("verbose=1,config=/x/recall.yml");
        assertEquals(Paths.get("/x/recall.yml"), a.config());
    }

    @Test
    void nullArgumentsFallBackToSystemProperties() {
        System.setProperty("recall.config", "/y/recall.yml");
        System.setProperty("recall.strict", "true");
        AgentArgs a = AgentArgs.parse(null);
        assertEquals(Paths.get("/y/recall.yml"), a.config());
        assertTrue(a.strict());
    }

    @Test
    void agentArgumentWinsOverSystemProperty() {
        System.setProperty("recall.config", "/y/recall.yml");
        assertEquals(Paths.get("/x/recall.yml"), AgentArgs.parse("config=/x/recall.yml").config());
    }

    @Test
    void nullArgumentsWithoutPropertiesAreNotStrictAndUseOnlyTheEnvironment() {
        AgentArgs a = AgentArgs.parse(null);
        assertFalse(a.strict());
        assertEquals(environmentConfig(), a.config());
    }

    @Test
    void emptyArgumentsAreLikeNone() {
        AgentArgs a = AgentArgs.parse("");
        assertFalse(a.strict());
        assertEquals(environmentConfig(), a.config());
    }

    @Test
    void blankConfigMeansNoFile() {
        assertNull(AgentArgs.parse("config=").config());
    }
}
