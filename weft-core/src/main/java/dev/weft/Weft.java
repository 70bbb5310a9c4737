package dev.weft;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about the library itself (gevent's {@code __version__}).
 *
 * <p>gevent's {@code fork()} and {@code reinit()} have no weft counterpart: the JVM does not
 * fork, and virtual threads need no monkey-patching to cooperate.
 */
public final class Weft {
    private Weft() {}

    private static final String VERSION = readVersion();

    /**
     * The version of weft-core in use, as the build wrote it (for example {@code 0.1.0-SNAPSHOT}).
     *
     * @return the version; never null
     */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Weft.class.getResourceAsStream("weft.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weft's version", e);
        }
    }
}
