package dev.weft.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Member JVMs started with {@link ProcessBuilder} ({@link MemberMain}) and a lite member in this
 * JVM as the caller: a fresh cluster name and port base per run.
 */
final class MemberJvms implements AutoCloseable {
    final String name = "weft-mj-" + UUID.randomUUID();
    /** Probed free and below the ephemeral ports: without auto-increment, a taken port fails the start. */
    final int portBase = TestCluster.freePortBase();
    final List<Process> processes = new ArrayList<>();
    final List<LinkedBlockingQueue<String>> output = new ArrayList<>();
    /** Every member's output lines after READY, merged. */
    final LinkedBlockingQueue<String> merged = new LinkedBlockingQueue<>();
    final HazelcastInstance caller;

    MemberJvms(int count, int heartbeatSeconds) throws Exception {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i <= count; i++) members.append(i == 0 ? "" : ",").append("127.0.0.1:").append(portBase + i);
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (int i = 1; i <= count; i++) {
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "-Dhazelcast.logging.type=none", "-cp", cp, MemberMain.class.getName(), name,
                    String.valueOf(portBase + i), members.toString()));
            if (heartbeatSeconds > 0) cmd.add(String.valueOf(heartbeatSeconds));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            processes.add(p);
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            output.add(lines);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    boolean ready = false;
                    for (String line; (line = r.readLine()) != null; ) {
                        if (ready) merged.add(line);
                        else lines.add(line);
                        ready |= line.startsWith("READY");
                    }
                } catch (IOException ignored) {
                    // the process died
                }
            }, "member-" + i + "-output");
            reader.setDaemon(true);
            reader.start();
        }
        for (LinkedBlockingQueue<String> lines : output) awaitLine(lines, "READY", 120);
        MemberConfig mc = new MemberConfig(name).port(portBase, false).members(members.toString().split(",")).liteMember(true);
        if (heartbeatSeconds > 0) mc.heartbeatTimeoutSeconds(heartbeatSeconds);
        caller = Hazelcast.newHazelcastInstance(mc.build());
        Object joined = new Object();
        caller.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
                synchronized (joined) {
                    joined.notifyAll();
                }
            }

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {}
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (joined) {
            while (caller.getCluster().getMembers().size() < count + 1) {
                long left = end - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("the members did not all join: " + caller.getCluster());
                TimeUnit.NANOSECONDS.timedWait(joined, left);
            }
        }
    }

    /** Waits for a line of member output starting with {@code prefix}; returns it. */
    static String awaitLine(LinkedBlockingQueue<String> lines, String prefix, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (;;) {
            String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) throw new IllegalStateException("no '" + prefix + "' line within " + seconds + " s");
            if (line.startsWith(prefix)) return line;
        }
    }

    long pid(int i) {
        return processes.get(i).pid();
    }

    void signal(int i, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(pid(i))).inheritIO().start().waitFor();
    }

    @Override
    public void close() {
        caller.getLifecycleService().terminate();
        for (Process p : processes) {
            try {
                new ProcessBuilder("kill", "-CONT", String.valueOf(p.pid())).start().waitFor();
            } catch (Exception ignored) {
                // gone already
            }
            p.destroyForcibly();
        }
    }
}
