package dev.recall.agent.config;

import java.util.List;

/** A node of a configuration file as {@link YamlReader} reads it, with the line it starts on (from 1). Immutable. */
sealed interface YamlNode {

    int line();

    /** A value; {@code ""} for a key written with nothing after it. Quotes are removed, escapes resolved. */
    record Scalar(String value, int line) implements YamlNode {
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
    }

    /** Entries in the file's order; a key written twice appears twice, for the loader to report. */
    record Mapping(List<Entry> entries, int line) implements YamlNode {
    }

    record Entry(Scalar key, YamlNode value) {
    }
}
