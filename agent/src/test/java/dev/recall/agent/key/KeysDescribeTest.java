package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What messages show of a key: types and sizes, never a value. */
class KeysDescribeTest {

    @Test
    void typesAndSizesOnly() {
        assertEquals("String[15 chars]", Keys.describe(Keys.of("ada@example.com")));
        assertEquals("Long", Keys.describe(Keys.of(4111111111111111L)));
        assertEquals("(String[3 chars], Integer)", Keys.describe(Keys.ofArguments("Ada", 7)));
        assertEquals("(String[3 chars], char[16], List12[2 elements])",
                Keys.describe(Keys.ofArguments(new Object[] {"Ada", "4111111111111111".toCharArray(), List.of(1, 2)})));
        assertEquals("byte[4]", Keys.describe(Keys.of(new byte[] {1, 2, 3, 4})).replace("(", "").replace(")", ""));
        assertEquals("()", Keys.describe(Keys.NO_ARGUMENTS));
        assertEquals("null", Keys.describe(Keys.NULL));
        assertEquals("Map1[1 entries]", Keys.describe(Map.of("card", "4111")));
        assertEquals("dev.recall.agent.key.KeysDescribeTest$Customer", Keys.describe(new Customer("Ada", "ada@example.com")));
        assertFalse(Keys.describe(Keys.ofArguments("ada@example.com", "4111111111111111")).contains("4111"));
    }

    record Customer(String name, String email) {
    }
}
