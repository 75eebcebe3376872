package org.newsindex.testcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.cluster.health.ClusterHealthStatus;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.node.Node;

/**
 * A real OpenSearch cluster of several nodes in one JVM, bound to 127.0.0.1, for tests.
 *
 * <p>Arguments (all optional but --work-dir):
 * <pre>
 *   --work-dir DIR        node homes go to DIR/nodes (deleted on stop)
 *   --http-port N         HTTP port of node 1 (default 9200); node k gets N+k-1
 *   --transport-port N    transport port of node 1 (default 9300); node k gets N+k-1
 *   --nodes N             number of nodes (default 3)
 *   --ready-file FILE     written once health is green (default DIR/ready)
 *   --control-dir DIR     watched for commands (default DIR/control)
 *   --green-timeout SEC   how long to wait for green at startup (default 180)
 * </pre>
 *
 * <p>Control protocol: create an empty file {@code stop-node-K} or {@code start-node-K}
 * in the control directory (K counts from 1). The cluster deletes it, stops or starts node K
 * with the same data directory, then writes {@code stop-node-K.done} (or
 * {@code start-node-K.done}) holding {@code ok} or {@code error: reason}. A start waits until
 * the node has joined the cluster; neither waits for shards to recover, which the caller checks
 * through the health API. The file {@code state} in the control directory always lists each
 * node as {@code node-K up|down PORT}.
 *
 * <p>SIGTERM (or SIGINT) closes every node, deletes the node homes, the ready file and the state
 * file, then exits 0.
 */
public final class TestCluster {

    private static final Pattern COMMAND = Pattern.compile("(stop|start)-node-(\\d+)");

    private final Path workDir;
    private final Path nodesDir;
    private final Path readyFile;
    private final Path controlDir;
    private final int httpPort;
    private final int transportPort;
    private final int nodes;
    private final long greenTimeoutSeconds;
    private final OpenSearchRunner runner = new OpenSearchRunner();
    private final Object lock = new Object();
    private volatile boolean stopping;

    private TestCluster(final Map<String, String> options) {
        workDir = Paths.get(required(options, "work-dir")).toAbsolutePath();
        nodesDir = workDir.resolve("nodes");
        readyFile = Paths.get(options.getOrDefault("ready-file", workDir.resolve("ready").toString()))
                .toAbsolutePath();
        controlDir = Paths.get(options.getOrDefault("control-dir", workDir.resolve("control").toString()))
                .toAbsolutePath();
        httpPort = Integer.parseInt(options.getOrDefault("http-port", "9200"));
        transportPort = Integer.parseInt(options.getOrDefault("transport-port", "9300"));
        nodes = Integer.parseInt(options.getOrDefault("nodes", "3"));
        greenTimeoutSeconds = Long.parseLong(options.getOrDefault("green-timeout", "180"));
    }

    public static void main(final String[] args) {
        final TestCluster cluster;
        try {
            cluster = new TestCluster(parse(args));
        } catch (final IllegalArgumentException e) {
            System.err.println("test cluster: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown, "test-cluster-shutdown"));
        try {
            cluster.start();
        } catch (final Exception e) {
            System.err.println("test cluster: failed to start: " + e);
            e.printStackTrace();
            System.exit(1);  // the shutdown hook closes the nodes and deletes their homes
            return;
        }
        cluster.watchControlDir();
    }

    private void start() throws IOException {
        Files.deleteIfExists(readyFile);
        deleteTree(nodesDir);
        Files.createDirectories(controlDir);
        clearControlDir();
        final List<String> seedHosts = new ArrayList<>();
        final List<String> managers = new ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            seedHosts.add("127.0.0.1:" + (transportPort + k - 1));
            managers.add("Node " + k);
        }
        final long started = System.nanoTime();
        runner.setMaxHttpPort(-1);  // the exact ports asked for, or fail: never drift to the next free one
        runner.onBuild((k, settings) -> settings
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort + k - 1)
                .put("transport.port", transportPort + k - 1)
                .putList("discovery.seed_hosts", seedHosts)
                .putList("cluster.initial_cluster_manager_nodes", managers)
                .putList("node.roles", "cluster_manager", "data")
                // Node 1 alone cannot elect a cluster manager: start the next node at once
                // instead of waiting 30 s for a cluster state that cannot come yet.
                .put("discovery.initial_state_timeout", "0s")
                // Three nodes share one heap: each gets small caches and buffers, and the
                // parent breaker counts what each node reserves, not the whole JVM's heap.
                .put("indices.memory.index_buffer_size", "5%")
                .put("indices.queries.cache.size", "5%")
                .put("indices.requests.cache.size", "1%")
                .put("indices.fielddata.cache.size", "10%")
                .put("indices.breaker.total.use_real_memory", false)
                .put("indices.breaker.total.limit", "30%")
                // A test machine's disk may be nearly full; never refuse to allocate shards for it.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.auto_create_index", true));
        runner.build(OpenSearchRunner.newConfigs()
                .basePath(nodesDir.toString())
                .numOfNode(nodes)
                .baseHttpPort(httpPort - 1)  // the runner gives node k the port base + k
                .clusterName("newsindex-test")
                // One log4j configuration for the JVM (src/main/resources/log4j2.properties).
                // The runner's per-node configuration would redirect System.out into log4j
                // once per node, and everything after node 2 would be lost.
                .disableESLogger()
                .moduleTypes(String.join(",",
                        "org.opensearch.analysis.common.CommonAnalysisPlugin",
                        "org.opensearch.index.mapper.MapperExtrasPlugin",
                        "org.opensearch.index.reindex.ReindexPlugin",
                        "org.opensearch.transport.Netty4Plugin")));
        final ClusterHealthResponse health = runner.client().admin().cluster().prepareHealth()
                .setWaitForGreenStatus()
                .setWaitForNodes(String.valueOf(nodes))
                .setTimeout(TimeValue.timeValueSeconds(greenTimeoutSeconds))
                .setClusterManagerNodeTimeout(TimeValue.timeValueSeconds(greenTimeoutSeconds))
                .get();
        if (health.isTimedOut() || health.getStatus() != ClusterHealthStatus.GREEN
                || health.getNumberOfNodes() != nodes) {
            throw new IllegalStateException("cluster not green with " + nodes + " nodes after "
                    + greenTimeoutSeconds + "s: status " + health.getStatus() + ", "
                    + health.getNumberOfNodes() + " nodes");
        }
        writeState();
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        writeAtomically(readyFile, "http://127.0.0.1:" + httpPort + "\n");
        System.out.println("test cluster: green with " + nodes + " nodes in " + millis
                + " ms; http://127.0.0.1:" + httpPort + " (nodes on ports " + httpPort + "-"
                + (httpPort + nodes - 1) + ")");
    }

    private void watchControlDir() {
        while (!stopping) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(controlDir)) {
                for (final Path entry : entries) {
                    final Matcher m = COMMAND.matcher(entry.getFileName().toString());
                    if (m.matches()) {
                        Files.deleteIfExists(entry);
                        final Path done = controlDir.resolve(entry.getFileName() + ".done");
                        Files.deleteIfExists(done);
                        String outcome;
                        try {
                            outcome = run(m.group(1), Integer.parseInt(m.group(2)));
                        } catch (final Exception e) {
                            outcome = "error: " + e;
                        }
                        System.out.println("test cluster: " + entry.getFileName() + ": " + outcome);
                        writeAtomically(done, outcome + "\n");
                    }
                }
                Thread.sleep(100);
            } catch (final InterruptedException e) {
                return;
            } catch (final IOException e) {
                if (!stopping) {
                    System.err.println("test cluster: control directory " + controlDir + ": " + e);
                }
                try {
                    Thread.sleep(1000);
                } catch (final InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private String run(final String verb, final int k) throws Exception {
        if (k < 1 || k > nodes) {
            return "error: no node " + k + " (nodes are 1-" + nodes + ")";
        }
        synchronized (lock) {
            if (stopping) {
                return "error: the cluster is stopping";
            }
            final Node node = runner.getNode(k - 1);
            if (verb.equals("stop")) {
                if (node.isClosed()) {
                    return "ok (node " + k + " was already down)";
                }
                node.close();
                if (!node.awaitClose(60, TimeUnit.SECONDS)) {
                    return "error: node " + k + " did not close within 60s";
                }
            } else {
                if (!node.isClosed()) {
                    return "ok (node " + k + " was already up)";
                }
                if (!runner.startNode(k - 1)) {
                    return "error: node " + k + " did not start (see the log)";
                }
                final int up = countUp();
                final ClusterHealthResponse health = runner.getNode(k - 1).client().admin().cluster()
                        .prepareHealth()
                        .setWaitForNodes(">=" + up)
                        .setTimeout(TimeValue.timeValueSeconds(120))
                        .setClusterManagerNodeTimeout(TimeValue.timeValueSeconds(120))
                        .get();
                if (health.isTimedOut()) {
                    return "error: node " + k + " did not join within 120s";
                }
            }
            writeState();
            return "ok";
        }
    }

    private int countUp() {
        int up = 0;
        for (int i = 0; i < nodes; i++) {
            if (!runner.getNode(i).isClosed()) {
                up++;
            }
        }
        return up;
    }

    private void writeState() throws IOException {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            text.append("node-").append(i + 1).append(' ')
                    .append(runner.getNode(i).isClosed() ? "down" : "up").append(' ')
                    .append(httpPort + i).append('\n');
        }
        writeAtomically(controlDir.resolve("state"), text.toString());
    }

    private void shutdown() {
        synchronized (lock) {
            stopping = true;
            try {
                Files.deleteIfExists(readyFile);
            } catch (final IOException e) {
                System.err.println("test cluster: " + e);
            }
            try {
                runner.close();
            } catch (final Exception e) {
                System.err.println("test cluster: closing the nodes: " + e);
            }
            try {
                deleteTree(nodesDir);
                clearControlDir();
                Files.deleteIfExists(controlDir.resolve("state"));
            } catch (final IOException e) {
                System.err.println("test cluster: cleaning up " + workDir + ": " + e);
            }
            System.out.println("test cluster: stopped; deleted " + nodesDir);
        }
    }

    private void clearControlDir() throws IOException {
        if (!Files.isDirectory(controlDir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(controlDir, "*-node-*")) {
            for (final Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        }
    }

    private static void writeAtomically(final Path target, final String text) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        final Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Map<String, String> parse(final String[] args) {
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(final Map<String, String> options, final String name) {
        final String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
