package dev.recall.agent.codec;

import java.io.File;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Locale;

/**
 * Immutable JDK value types beyond the numbers, strings and {@code java.time} the codec has tags for: the copier
 * shares them as they are, and the codec writes each as its text ({@link Tag#JDK_VALUE}, then a kind and the
 * text), rebuilt by the JDK's own factory. Their fields are the JDK's and closed to the agent, so field by field
 * they could be neither copied nor written. Stateless.
 */
final class JdkValues {

    static final int LOCALE = 0;
    static final int CURRENCY = 1;
    static final int URI_KIND = 2;
    static final int URL_KIND = 3;
    static final int PATH = 4;
    static final int FILE = 5;
    static final int INET = 6;
    static final int CHARSET = 7;

    private JdkValues() {
    }

    /** The kind of an immutable JDK value class, or -1. */
    static int kindOf(Class<?> type) {
        if (!JdkTypes.isJdk(type)) {
            return -1;
        }
        if (type == Locale.class) {
            return LOCALE;
        }
        if (type == Currency.class) {
            return CURRENCY;
        }
        if (type == URI.class) {
            return URI_KIND;
        }
        if (type == URL.class) {
            return URL_KIND;
        }
        if (Path.class.isAssignableFrom(type)) {
            return PATH;
        }
        if (type == File.class) {
            return FILE;
        }
        if (InetAddress.class.isAssignableFrom(type)) {
            return INET;
        }
        if (Charset.class.isAssignableFrom(type)) {
            return CHARSET;
        }
        return -1;
    }

    /** The text a value is written as. */
    static String text(Object v, int kind) throws CodecException {
        switch (kind) {
            case LOCALE: return ((Locale) v).toLanguageTag();
            case CURRENCY: return ((Currency) v).getCurrencyCode();
            case URI_KIND: return v.toString();
            case URL_KIND: return ((URL) v).toExternalForm();
            case PATH:
                if (((Path) v).getFileSystem() != FileSystems.getDefault()) {
                    throw new CodecException("a Path of another file system (" + ((Path) v).getFileSystem() + ") cannot be cached: "
                            + "another JVM could not open it");
                }
                return v.toString();
            case FILE: return ((File) v).getPath();
            case INET: return v.toString(); // "host/address", the host empty when never resolved: no lookup either way
            case CHARSET: return ((Charset) v).name();
            default: throw new IllegalArgumentException("kind " + kind);
        }
    }

    /** The value {@link #text} wrote. */
    static Object of(int kind, String text) throws CodecException {
        try {
            switch (kind) {
                case LOCALE: return Locale.forLanguageTag(text);
                case CURRENCY: return Currency.getInstance(text);
                case URI_KIND: return new URI(text);
                case URL_KIND: return url(text);
                case PATH: return Path.of(text);
                case FILE: return new File(text);
                case INET: {
                    int slash = text.lastIndexOf('/');
                    String host = text.substring(0, Math.max(0, slash));
                    String address = text.substring(slash + 1);
                    // A literal address is parsed, never looked up.
                    byte[] bytes = InetAddress.getByName(address).getAddress();
                    return InetAddress.getByAddress(host.isEmpty() ? null : host, bytes);
                }
                case CHARSET: return Charset.forName(text);
                default: throw Input.corrupt("unknown JDK value kind " + kind);
            }
        } catch (URISyntaxException | UnknownHostException | MalformedURLException | RuntimeException e) {
            throw new CodecException("cannot read back a cached JDK value '" + text + "': " + e, e);
        }
    }

    @SuppressWarnings("deprecation")
    private static URL url(String text) throws MalformedURLException {
        return new URL(text); // URI.toURL refuses some forms URL accepts
    }
}
