package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.MethodKindsApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract's annotation section, method by method, in a JVM started with the agent. */
class MethodKindsIT {

    private static Result withAgent;

    @BeforeAll
    static void run() {
        withAgent = AppJvm.main(MethodKindsApp.class).run().assertSucceeded();
    }

    @Test
    void withoutTheAgentEveryCallRuns() {
        Result plain = AppJvm.main(MethodKindsApp.class).withoutAgent().run().assertSucceeded();
        assertEquals(3, plain.intValue("instance.calls"));
        assertEquals(withAgent.value("instance.results"), plain.value("instance.results"));
        assertEquals(withAgent.value("byPath.results"), "[Ada, Ada, Bob]");
        assertEquals("[Ada, Someone else, Bob]", plain.value("byPath.results"));
    }

    @Test
    void aKeyPathThatMeetsNullRunsTheMethodInsteadOfServingAnotherCallsResult() {
        assertEquals("[o-5:none, o-6:none, o-1:Ada, o-1:Ada]", withAgent.value("label.results"));
        assertEquals(3, withAgent.intValue("label.calls"));
        assertTrue(withAgent.stderrText().contains("met null before its last property"), withAgent.stderrText());
    }

    @Test
    void receiversThatDifferInStateNeverShareAndEqualOnesDo() {
        assertEquals("[I am alice, I am bob, I am alice]", withAgent.value("receiver.results"));
        assertEquals(2, withAgent.intValue("receiver.calls"));
        assertEquals("[owners#1, vets#1, owners#1]", withAgent.value("thisKey.results"));
        assertEquals(2, withAgent.intValue("thisKey.calls"), "{this.name} names the state that matters");
    }

    @Test
    void aDefaultInterfaceMethodWithCachedIsCached() {
        assertEquals("[hello x, hello x, hello y]", withAgent.value("defaultMethod.results"));
        assertEquals(2, withAgent.intValue("defaultMethod.calls"));
    }

    @Test
    void instanceAndStaticMethodsAreCachedPerArgument() {
        assertEquals("[i1, i1, i2]", withAgent.value("instance.results"));
        assertEquals(2, withAgent.intValue("instance.calls"));
        assertEquals("[s1, s1, s2]", withAgent.value("static.results"));
        assertEquals(2, withAgent.intValue("static.calls"));
    }

    @Test
    void privateFinalAndSelfInvokedMethodsAreCached() {
        assertEquals("p7p7f7,p7p7f7", withAgent.value("selfInvoking.result"));
        assertEquals(1, withAgent.intValue("private.calls"));
        assertEquals(1, withAgent.intValue("final.calls"));
    }

    @Test
    void primitiveReturnsAndNoArgumentMethods() {
        assertEquals("[15, 15, 18]", withAgent.value("primitive.results"));
        assertEquals(2, withAgent.intValue("primitive.calls"));
        assertEquals("[true, true, false]", withAgent.value("primitiveBoolean.results"));
        assertEquals(2, withAgent.intValue("primitiveBoolean.calls"));
        assertEquals("[constant, constant]", withAgent.value("noArguments.results"));
        assertEquals(1, withAgent.intValue("noArguments.calls"));
    }

    @Test
    void nullIsCachedAndExceptionsAreNot() {
        assertEquals("null,null", withAgent.value("nullResult.results"));
        assertEquals(1, withAgent.intValue("nullResult.calls"));
        assertEquals("[threw, recovered, recovered]", withAgent.value("throwsOnce.results"));
        assertEquals(2, withAgent.intValue("throwsOnce.calls"));
    }

    @Test
    void defaultKeyIsAllArgumentsWithArraysByContent() {
        assertEquals("[a1, a1, a2, b1]", withAgent.value("twoArguments.results"));
        assertEquals(3, withAgent.intValue("twoArguments.calls"));
        assertEquals("[3, 3, 4]", withAgent.value("sum.results"));
        assertEquals(2, withAgent.intValue("sum.calls"));
    }

    @Test
    void keyTemplatesByNamePathAndLiteral() {
        assertEquals("[x9, x9, x10]", withAgent.value("byName.results"));
        assertEquals(2, withAgent.intValue("byName.calls"));
        assertEquals("[Ada, Ada, Bob]", withAgent.value("byPath.results"));
        assertEquals(2, withAgent.intValue("byPath.calls"));
        assertEquals("[A1EUR1, A1EUR1, A1USD1]", withAgent.value("byLiteral.results"));
        assertEquals(2, withAgent.intValue("byLiteral.calls"));
    }

    @Test
    void methodsNamingOneRegionShareEntriesAndUnnamedRegionsNeverCollide() {
        assertEquals("[A1, A1]", withAgent.value("shared.results"));
        assertEquals(1, withAgent.intValue("sharedA.calls"));
        assertEquals(null, withAgent.values().get("sharedB.calls"), "sharedB found sharedA's entry and never ran");
        assertEquals("[a, b]", withAgent.value("collide.results"));
    }

    @Test
    void aGenericOverrideIsCachedOnceNotAlsoThroughItsBridgeMethod() {
        assertEquals("[X, X]", withAgent.value("genericOverride.results"));
        assertEquals(1, withAgent.intValue("genericOverride.calls"));
    }

    @Test
    void theAgentSaysItStartedAndNothingWentWrong() {
        assertTrue(withAgent.stderrText().contains("[recall] agent"), withAgent::toString);
        assertTrue(withAgent.stderrMatching("ERROR").isEmpty(), withAgent::toString);
        assertTrue(withAgent.stdout().stream().noneMatch(l -> l.contains("warning")), withAgent::toString);
    }
}
