package dev.weft.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * A member JVM for the multi-JVM tests and the throughput benchmark:
 * {@code MemberMain clusterName port member1,member2,... [heartbeatSeconds]}. Prints
 * {@code READY pid} once started; stops when its standard input closes (its parent died or
 * closed it).
 */
public final class MemberMain {
    private MemberMain() {}

    /**
     * Starts the member.
     *
     * @param args cluster name, port, comma-separated join addresses, optional heartbeat timeout
     * @throws Exception if the member cannot start
     */
    public static void main(String[] args) throws Exception {
        MemberConfig mc = new MemberConfig(args[0]).port(Integer.parseInt(args[1]), false)
                .members(args[2].split(","))
                .executor(16, 256);
        if (args.length > 3) mc.heartbeatTimeoutSeconds(Integer.parseInt(args[3]));
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(mc.build());
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes our input
        }
        hz.getLifecycleService().terminate();
        System.exit(0);
    }
}
