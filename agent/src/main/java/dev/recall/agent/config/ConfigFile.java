package dev.recall.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a configuration file's bytes as UTF-8 text, refusing what cannot be one (a directory, a device, a file too
 * large, bytes that are not UTF-8) with a {@link ConfigError} naming the file. Stateless.
 */
final class ConfigFile {

    /**
     * The largest file read. A configuration file is a few kilobytes; the bound keeps a wrong path (a log, a
     * disk image) from costing the application's start more than a moment and its memory.
     */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private ConfigFile() {
    }

    /**
     * Reads a configuration file. Nothing escapes: whatever is wrong with the path or the file, and whatever
     * fails while reading it, comes back as a {@link ConfigError} naming the file (and the line when there is one).
     */
    static RecallConfig read(Path file) {
        String label = file.toString();
        try {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                return failed(label, "cannot read the configuration file (" + e + "); check the path given by config=, "
                        + "-Drecall.config or RECALL_CONFIG");
            }
            // Checked before opening: opening a FIFO blocks until a writer comes, and a device never ends.
            if (attributes.isDirectory()) {
                return failed(label, "is a directory, not a configuration file; give the path of the YAML file in it, "
                        + "like " + file.resolve("recall.yml"));
            }
            if (!attributes.isRegularFile()) {
                return failed(label, "is not a regular file (a device, a FIFO or a socket), so it is not read: it could "
                        + "hold the application's start for ever; give the path of the YAML file itself");
            }
            if (attributes.size() > MAX_BYTES) {
                return tooBig(label, attributes.size());
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1); // the file may have grown since its size was read
            } catch (IOException e) {
                return failed(label, "cannot read the configuration file (" + e + "); check that the application's user "
                        + "may read it");
            }
            if (bytes.length > MAX_BYTES) {
                return tooBig(label, bytes.length);
            }
            CharBuffer text = CharBuffer.allocate(bytes.length); // UTF-8 never makes more chars than bytes
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CoderResult decoded = utf8.decode(in, text, true);
            if (!decoded.isError()) {
                decoded = utf8.flush(text);
            }
            if (decoded.isError()) {
                return notUtf8(label, bytes, in.position());
            }
            return ConfigLoader.parse(label, text.flip().toString());
        } catch (RuntimeException | StackOverflowError e) {
            return failed(label, "could not be read (" + e + "); nothing in it is applied. This is a fault of the agent: "
                    + "please report it with the file");
        }
    }

    private static RecallConfig tooBig(String label, long size) {
        return failed(label, "is " + size + " bytes; a configuration file may be at most 4 MB (" + MAX_BYTES + " bytes), "
                + "so this is not one: check that config=, -Drecall.config or RECALL_CONFIG names the YAML file");
    }

    private static RecallConfig notUtf8(String label, byte[] bytes, int at) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return RecallConfig.refused(label, new ConfigError(label, line, "byte 0x" + Integer.toHexString((bytes[at] & 0xFF) | 0x100).substring(1)
                + " at column " + (at - lineStart + 1) + " is not UTF-8; save the file as UTF-8 (or write the character "
                + "as an escape in double quotes, like \"\\u00e9\")"));
    }

    private static RecallConfig failed(String label, String message) {
        return RecallConfig.refused(label, new ConfigError(label, message));
    }
}
