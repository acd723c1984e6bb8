package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The configuration reader against a full YAML implementation (snakeyaml-engine, a test dependency
 * only): for every document below both must read the same tree, values and lines alike.
 */
class YamlReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {
        // the contract's examples
        """
        defaults:
          ttl: 5m
          maxSize: 10000          # entries per region
          cacheNulls: true
        methods:
          - method: com.acme.fx.RatesClient#rate(java.lang.String, java.lang.String)
            cache: fx-rates
            key: "{0}:{1}"
            ttl: 30s
            strategy: read-through
          - method: com.acme.repo.*Repository#find*(..)     # wildcards in class and method, (..) any params
            ttl: 1m
          - method: com.acme.repo.ProductRepository#save(com.acme.Product)   # an interface: its implementations
            cache: products
            key: "{0.id}"
            strategy: write-back
        evict:
          - method: com.acme.repo.ProductRepository#delete(long)
            cache: products
            key: "{0}"
        """,
        """
        store: local                    # local | redis | two-level; also per method (`store:` in a rule)
        redis:
          uri: redis://127.0.0.1:6379   # rediss:// for TLS; user:password@ allowed; or
          cluster: [127.0.0.1:7000, 127.0.0.1:7001, 127.0.0.1:7002]
          timeout: 50ms                 # per command; a slow Redis must not slow the application
          keyPrefix: "recall:"
          secret: ${RECALL_SECRET}      # HMAC key for signing entries; required unless `insecure: true`
          allowClasses: [com.acme.**]   # what may be deserialized (JDK value types are always allowed)
        near:                           # two-level only: the local tier in front of Redis
          ttl: 10s
          maxSize: 10000
        """,
        // a sequence at its key's indentation, empty values, quoting, comments everywhere
        """
        # leading comment
        ---
        methods:
        - method: a.B#c()
          key: 'it''s {0}'
        - method: "a.B#d(long)"   # quoted
          cache:
        evict:
        alerts: []
        near: {}
        """,
        // flow collections over several lines, nested, with quotes and trailing commas
        """
        redis: { uri: "redis://h:1", secret: 'x # not a comment',
                 allowClasses: [a.b.**, "c.d.E",
                   f.g.H,] }
        list: [[a, b], {k: v, e: }, '']
        """,
        // plain scalars with colons, hashes and dashes inside, continued over lines
        """
        a: redis://user:pw@host:6379/0
        b: com.acme.Foo#bar(java.lang.String[])
        c: -5
        d: a value that
          goes on
          over lines
        e: x#y
        """,
        // nested sequences and mappings in list entries
        """
        - - a
          - b
        -   k: v
            l:
              - 1
              - 2
        - plain
        -
          deep: yes
        """,
        "just a value\n",
        "\uFEFFkey: after a byte order mark\r\nother: windows line ends\r\n",
        "key: \"esc \\\" \\\\ \\t \\u0041\"\n",
    })
    void readsWhatYamlReads(String document) throws Exception {
        Node expected = new Compose(LoadSettings.builder().build()).composeString(document).orElseThrow();
        YamlNode actual = YamlReader.read(document);
        assertEquals(describe(expected), describe(actual), document);
    }

    @Test
    void aFileOfCommentsHasNoRoot() throws Exception {
        assertNull(YamlReader.read("# nothing\n\n   # here\n"));
        assertNull(YamlReader.read(""));
    }

    @Test
    void aKeyWrittenTwiceIsKeptTwiceForTheLoaderToReport() throws Exception {
        YamlNode.Mapping m = (YamlNode.Mapping) YamlReader.read("a: 1\na: 2\n");
        assertEquals(2, m.entries().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a: 1\n  b: 2\n@@2",
        "a:\n\tb: 1\n@@2",
        "a: [1, 2\nb: 3\n@@1",
        "a: &x 1\n@@1",
        "a: *x\n@@1",
        "a: !!str 1\n@@1",
        "a: |\n  text\n@@1",
        "a: \"open\n@@1",
        "a: {0}:{1}\n@@1",
        "a: 1\n---\nb: 2\n@@2",
        "- a\n - b\n@@2",
        "x:\n  - a: 1\n   b: 2\n@@3",
    })
    void refusesWhatItDoesNotReadWithTheLine(String documentAndLine) {
        String[] parts = documentAndLine.split("@@");
        YamlReader.YamlException e = assertThrows(YamlReader.YamlException.class, () -> YamlReader.read(parts[0]));
        assertEquals(Integer.parseInt(parts[1]), e.line, e.getMessage());
        assertTrue(e.getMessage().length() > 20, e.getMessage());
    }

    /** A tree of plain lists and maps (keys with their lines), the same for both readers. */
    private static Object describe(Node n) {
        int line = n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        if (n instanceof ScalarNode s) {
            return s.getValue() + "@" + line;
        }
        if (n instanceof SequenceNode s) {
            List<Object> items = new ArrayList<>();
            s.getValue().forEach(i -> items.add(describe(i)));
            return items;
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) n).getValue()) {
            map.put(describe(t.getKeyNode()), describe(t.getValueNode()));
        }
        return map;
    }

    private static Object describe(YamlNode n) {
        if (n instanceof YamlNode.Scalar s) {
            return s.value() + "@" + s.line();
        }
        if (n instanceof YamlNode.Sequence s) {
            List<Object> items = new ArrayList<>();
            s.items().forEach(i -> items.add(describe(i)));
            return items;
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (YamlNode.Entry e : ((YamlNode.Mapping) n).entries()) {
            map.put(describe(e.key()), describe(e.value()));
        }
        return map;
    }
}
