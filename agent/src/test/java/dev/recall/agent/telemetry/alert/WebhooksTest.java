package dev.recall.agent.telemetry.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body of a webhook post: Slack's {@code text}, then the notification's fields, as valid JSON. */
class WebhooksTest {

    @Test
    void textAndFieldsAreJsonWithStringsEscaped() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", "raised");
        fields.put("value", 0.25);
        fields.put("windowSeconds", 60L);
        fields.put("method", "com.acme.Repo.find(\"x\")\n");
        fields.put("ratio", Double.NaN);
        assertEquals("{\"text\":\"a \\\"quoted\\\" \\\\ line\\u0001\",\"state\":\"raised\",\"value\":0.25,\"windowSeconds\":60,"
                + "\"method\":\"com.acme.Repo.find(\\\"x\\\")\\n\",\"ratio\":null}", Webhooks.json("a \"quoted\" \\ line\u0001", fields));
    }
}
