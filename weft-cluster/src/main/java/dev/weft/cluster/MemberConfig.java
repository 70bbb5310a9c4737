package dev.weft.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Hazelcast member configuration with weft's secure defaults, for the members a
 * {@link ClusterPool} runs on (and for the caller's own instance):
 *
 * <ul>
 * <li>a cluster name per application (required: members of another application never join);</li>
 * <li>bound to loopback ({@code 127.0.0.1}) unless {@link #bind} says otherwise;</li>
 * <li>TCP/IP join with an explicit member list; multicast, auto-detection and phone-home
 *     ({@code hazelcast.phone.home.enabled=false}) off;</li>
 * <li>Java deserialisation through an allow-list ({@code JavaSerializationFilterConfig}):
 *     the JDK's value types, {@code dev.weft.**} and what {@link #allow} adds;</li>
 * <li>the executor {@code weft} with a bounded pool and a <em>finite</em> queue, so an
 *     overloaded member rejects (the task is resubmitted elsewhere) instead of buffering without
 *     bound;</li>
 * <li>Hazelcast logs through {@code java.util.logging} ({@code hazelcast.logging.type=jdk});</li>
 * <li>weft's task envelope registered ({@link #register(Config)}).</li>
 * </ul>
 *
 * {@snippet :
 * Config config = new MemberConfig("orders-app")
 *         .port(5701).members("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703")
 *         .allow("com.example.orders.**")
 *         .build();
 * HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
 * }
 */
public final class MemberConfig {
    /** The name of the Hazelcast executor ClusterPool uses. */
    public static final String EXECUTOR = "weft";

    private final String clusterName;
    private String bind = "127.0.0.1";
    private int port = 5701;
    private boolean portAutoIncrement = true;
    private final List<String> members = new ArrayList<>();
    private final List<String> allowList = new ArrayList<>();
    /** The executor's default pool size ({@link #executor}). */
    static final int DEFAULT_POOL_SIZE = 16;
    /** The executor's default queue capacity ({@link #executor}). */
    static final int DEFAULT_QUEUE_CAPACITY = 256;

    private int poolSize = DEFAULT_POOL_SIZE;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int heartbeatTimeoutSeconds = -1;
    private boolean liteMember;

    /**
     * A configuration for the application's cluster {@code clusterName}.
     *
     * @param clusterName the cluster's name: members of other names never join it
     * @throws IllegalArgumentException if it is blank or Hazelcast's default, {@code dev}
     */
    public MemberConfig(String clusterName) {
        Objects.requireNonNull(clusterName, "clusterName");
        if (clusterName.isBlank() || clusterName.equals("dev")) {
            throw new IllegalArgumentException("give the cluster a name of its own (not blank, not Hazelcast's default 'dev'): '"
                    + clusterName + "'");
        }
        this.clusterName = clusterName;
    }

    /**
     * The address to bind and publish (default {@code 127.0.0.1}: other machines cannot reach
     * it). A cluster over several machines needs a real interface here — and a firewall.
     *
     * @param address an IP address of this machine
     * @return this
     */
    public MemberConfig bind(String address) {
        this.bind = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * The port to listen on (default 5701); with {@code autoIncrement}, the next free ones after it.
     *
     * @param port 1 to 65535
     * @param autoIncrement try the following ports if it is taken
     * @return this
     * @throws IllegalArgumentException if the port is out of range
     */
    public MemberConfig port(int port, boolean autoIncrement) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        this.port = port;
        this.portAutoIncrement = autoIncrement;
        return this;
    }

    /**
     * {@link #port(int, boolean)} with auto-increment.
     *
     * @param port 1 to 65535
     * @return this
     */
    public MemberConfig port(int port) {
        return port(port, true);
    }

    /**
     * Adds TCP/IP join targets: {@code host} (its ports from 5701 on) or {@code host:port}.
     *
     * @param addresses the members to join
     * @return this
     */
    public MemberConfig members(String... addresses) {
        for (String a : addresses) members.add(Objects.requireNonNull(a, "address"));
        return this;
    }

    /**
     * Adds deserialisation allow-list entries for the application's task, item and value
     * classes: a class name, {@code pkg.*} (a package) or {@code pkg.**} (with subpackages).
     *
     * @param entries the entries
     * @return this
     * @throws IllegalArgumentException if an entry is not one of those forms
     */
    public MemberConfig allow(String... entries) {
        for (String e : entries) TaskCodec.checkEntry(Objects.requireNonNull(e, "entry"));
        allowList.addAll(List.of(entries));
        return this;
    }

    /**
     * The member's executor: at most {@code poolSize} tasks run at once, at most
     * {@code queueCapacity} wait; more are rejected (and resubmitted by the caller).
     *
     * @param poolSize at least 1 (default 16)
     * @param queueCapacity at least 1 (default 256)
     * @return this
     * @throws IllegalArgumentException if either is less than 1
     */
    public MemberConfig executor(int poolSize, int queueCapacity) {
        if (poolSize < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("poolSize and queueCapacity must be at least 1: " + poolSize + ", " + queueCapacity);
        }
        this.poolSize = poolSize;
        this.queueCapacity = queueCapacity;
        return this;
    }

    /**
     * How long a silent member stays in the cluster ({@code hazelcast.max.no.heartbeat.seconds};
     * Hazelcast's default is 60 s). A hung member's tasks fail (or are retried) after it.
     *
     * @param seconds at least 1
     * @return this
     * @throws IllegalArgumentException if it is less than 1
     */
    public MemberConfig heartbeatTimeoutSeconds(int seconds) {
        if (seconds < 1) throw new IllegalArgumentException("seconds must be at least 1: " + seconds);
        this.heartbeatTimeoutSeconds = seconds;
        return this;
    }

    /**
     * Makes the instance a lite member: it joins and submits, but runs no task (for a caller
     * that should not take work itself).
     *
     * @param lite true for a lite member
     * @return this
     */
    public MemberConfig liteMember(boolean lite) {
        this.liteMember = lite;
        return this;
    }

    /**
     * The Hazelcast configuration.
     *
     * @return a new {@link Config}
     */
    public Config build() {
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setLiteMember(liteMember);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "jdk"));
        c.setProperty("hazelcast.local.localAddress", bind);
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.health.monitoring.level", "OFF");
        if (heartbeatTimeoutSeconds > 0) {
            c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(heartbeatTimeoutSeconds));
            c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        }
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(portAutoIncrement);
        net.getInterfaces().setEnabled(true).addInterface(bind);
        net.setPublicAddress(null);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(bind) : List.copyOf(members));
        c.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(poolSize).setQueueCapacity(queueCapacity));
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        for (String e : TaskCodec.DEFAULT_ALLOWED) addTo(filter, e);
        for (String e : allowList) addTo(filter, e);
        c.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        register(c);
        return c;
    }

    /**
     * Prepares a configuration made elsewhere for {@link ClusterPool}: every member and caller
     * needs it ({@link #build()} does it). It registers weft's serialisation factory (the task
     * envelope) and, if no executor configuration matches {@link #EXECUTOR} (by name or
     * wildcard), adds one with {@link #build()}'s bounded defaults: 16 threads, a queue of 256
     * (Hazelcast's own default queue is unbounded). An executor configured already is left as it
     * is ({@link HazelcastBackend} refuses one with an unbounded queue).
     *
     * <p>It sets no {@code JavaSerializationFilterConfig}: that filter governs all of Hazelcast's
     * Java deserialisation, the application's own maps included. weft's tasks, items, values and
     * failures are filtered anyway, by its codec: the JDK's value types and {@code dev.weft.**},
     * plus the entries of the configuration's filter allow-list if it has one — add the
     * application's classes there (or use {@link #allow} with {@link #build()}).
     *
     * @param config a Hazelcast member configuration
     * @return {@code config}
     */
    public static Config register(Config config) {
        Objects.requireNonNull(config, "config");
        config.getSerializationConfig().addDataSerializableFactory(RemoteCall.FACTORY_ID, RemoteCall.FACTORY);
        // Hazelcast's lookup: the exact name first, then the pattern matcher (which sees only wildcards)
        if (!config.getExecutorConfigs().containsKey(EXECUTOR)
                && config.getConfigPatternMatcher().matches(config.getExecutorConfigs().keySet(), EXECUTOR) == null) {
            config.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(DEFAULT_POOL_SIZE)
                    .setQueueCapacity(DEFAULT_QUEUE_CAPACITY));
        }
        return config;
    }

    private static void addTo(JavaSerializationFilterConfig filter, String entry) {
        if (entry.endsWith(".**")) filter.getWhitelist().addPrefixes(entry.substring(0, entry.length() - 2));
        else if (entry.endsWith(".*")) filter.getWhitelist().addPackages(entry.substring(0, entry.length() - 2));
        else if (entry.endsWith("*")) filter.getWhitelist().addPrefixes(entry.substring(0, entry.length() - 1));
        else filter.getWhitelist().addClasses(entry);
    }
}
