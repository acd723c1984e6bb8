package dev.recall.it.app.rules;

import dev.recall.it.app.Counter;

/** Readers of four regions and two writers that make several of them stale; cached by rules only (rules.yml). */
public class Catalog {

    public String readA(String id) {
        Counter.ran("readA");
        return "a-" + id + "-" + Counter.count("readA");
    }

    public String readB(String id) {
        Counter.ran("readB");
        return "b-" + id + "-" + Counter.count("readB");
    }

    public String readC(String id) {
        Counter.ran("readC");
        return "c-" + id + "-" + Counter.count("readC");
    }

    public String readD(String id) {
        Counter.ran("readD");
        return "d-" + id + "-" + Counter.count("readD");
    }

    /** Three evict rules name it: a by key, b by key, c all entries. */
    public void update(String id) {
        Counter.ran("update");
    }

    /** A write-through rule into d, and two evict rules (a, b) beside it. */
    public String save(String id, String value) {
        Counter.ran("save");
        return value;
    }
}
