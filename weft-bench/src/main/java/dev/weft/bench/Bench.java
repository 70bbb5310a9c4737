package dev.weft.bench;

import dev.weft.Greenlets;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Helpers shared by the benchmark families: running a batch inside a virtual thread, reading
 * heap and RSS, and printing the one machine-readable {@code RESULT} line of a plain main.
 */
public final class Bench {
    private Bench() {}

    /**
     * Runs {@code body} in a new virtual thread and returns its value. The JMH benchmarks run
     * their batch loops this way so that the measured joins/parks are virtual-thread parks; the
     * one platform-thread park of the caller is spread over the batch.
     */
    public static <T> T inVirtualThread(Callable<T> body) {
        Object[] out = new Object[1];
        Throwable[] err = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                out[0] = body.call();
            } catch (Throwable e) {
                err[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the batch", e);
        }
        if (err[0] instanceof RuntimeException r) throw r;
        if (err[0] instanceof Error e) throw e;
        if (err[0] != null) throw new IllegalStateException(err[0]);
        @SuppressWarnings("unchecked")
        T value = (T) out[0];
        return value;
    }

    /** Heap in use after a few full collections, in bytes. */
    public static long heapAfterGc() {
        var mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            // through weft's clock (the caller's adopted greenlet, default hub): the timer thread
            // this starts exists from the first baseline on, so it cancels out of every difference
            Greenlets.sleep(Duration.ofMillis(50));
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The process's resident set size in bytes ({@code VmRSS} of /proc/self/status), or -1. */
    public static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** An ordered map for a {@code RESULT} line. */
    public static Map<String, Object> result(String bench, String variant, long n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", bench);
        m.put("variant", variant);
        m.put("n", n);
        return m;
    }

    /** Prints {@code RESULT {json}}: the line run-all.sh collects and report.py reads. */
    public static void printResult(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("RESULT {");
        boolean first = true;
        for (var e : fields.entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append('"').append(e.getKey()).append("\": ");
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                sb.append(v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v);
            } else {
                sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        System.out.println(sb.append('}'));
        System.out.flush();
    }

    /** Parses a size such as {@code 100000}, {@code 100k} or {@code 1m}. */
    public static int parseCount(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
        int mult = 1;
        if (t.endsWith("k")) {
            mult = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            mult = 1_000_000;
            t = t.substring(0, t.length() - 1);
        }
        return Math.multiplyExact(Integer.parseInt(t), mult);
    }

    /** Milliseconds with one decimal, for the human-readable lines. */
    public static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
