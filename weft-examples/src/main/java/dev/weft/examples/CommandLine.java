package dev.weft.examples;

import java.io.Console;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The command-line reading the examples' mains share: usage errors, help, numbers, a terminal. */
final class CommandLine {
    private CommandLine() {}

    /** Exit code of a bad command line (BSD's {@code EX_USAGE}). */
    static final int EX_USAGE = 64;

    /** A command line that a parser refuses; the message says which argument and why. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    /** A command line's parser. */
    interface Parser<T> {
        T parse(String... args) throws UsageError;
    }

    /**
     * What a main does first: prints {@code usage} and returns null if the arguments ask for
     * help; parses them with {@code parser}; on a usage error prints it (prefixed by
     * {@code program}) and the usage to stderr and exits with {@link #EX_USAGE}.
     */
    static <T> T parseOrExit(String program, String usage, String[] args, Parser<T> parser) {
        try {
            if (wantsHelp(args)) {
                System.out.print(usage);
                return null;
            }
            return parser.parse(args);
        } catch (UsageError e) {
            System.err.println(program + ": " + e.getMessage());
            System.err.print(usage);
            System.exit(EX_USAGE);
            return null;
        }
    }

    /** True if any argument asks for the usage text ({@code -h}, {@code --help}, {@code help}). */
    static boolean wantsHelp(String... args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help") || a.equals("help")) return true;
        }
        return false;
    }

    /** Splits {@code --name value} (or {@code --name=value}) pairs, refusing names not in {@code known} and repeated ones. */
    static Map<String, String> pairs(Set<String> known, String... args) throws UsageError {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a, value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!known.contains(name)) throw new UsageError("unknown option \"" + a + "\"");
            if (value == null) {
                if (i + 1 >= args.length) throw new UsageError(name + " needs a value");
                value = args[++i];
            }
            if (m.put(name, value) != null) throw new UsageError(name + " given twice");
        }
        return m;
    }

    /** The option {@code name} of {@code m} as a whole number in {@code [min, max]}, {@code dflt} when absent. */
    static long number(Map<String, String> m, String name, long dflt, long min, long max) throws UsageError {
        String text = m.get(name);
        return text == null ? dflt : number(name, text, min, max);
    }

    /** {@code text} as a whole number in {@code [min, max]}; the error names the argument. */
    static long number(String name, String text, long min, long max) throws UsageError {
        String range = min == Long.MIN_VALUE ? "" : " from " + min + " to " + max;
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageError(name + " must be a whole number" + range + ", not \"" + text + "\"");
        }
        if (value < min || value > max) throw new UsageError(name + " must be" + range + ", not " + value);
        return value;
    }

    /** True if stdout is a terminal: then a progress line redraws itself. */
    static boolean isTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }
}
