package io.facsimile.core.deploy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the transports of the nodes a deploy reaches first while the build still renders: an SSH
 * login costs a fresh JVM some 0.5 s (MINA SSHD's classes, the key, the key exchange), which then
 * overlaps the render instead of following it. The engine takes each of them with {@link #open}; a node
 * not opened early is opened then, as the wrapped factory opens it.
 *
 * <p>Only the nodes the first wave starts at once are opened early ({@code parallel} of them, the
 * canary wave's when there is one): a later wave's node is contacted only when its wave starts, as
 * before. Opening early runs nothing on a node, and every bound of the wrapped factory holds
 * (connect timeout, host key check). A failure to open is thrown by {@link #open}, for the node's
 * result, exactly as the wrapped factory throws it; when the deploy never gets there (the render failed),
 * {@link #close} closes what was opened and nobody hears of a failure.
 */
public final class EarlyTransports implements TransportFactory, AutoCloseable {

    private final TransportFactory factory;
    private final Map<Node, CompletableFuture<Transport>> opening = new ConcurrentHashMap<>();

    private EarlyTransports(TransportFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * Starts opening, each on a daemon thread of its own, the transports of the nodes of {@code spec}
     * (those {@code targets} select) that the deploy's first wave starts at once.
     *
     * @param targets the nodes asked for, as {@link DeploySpec#selectNodes} takes them
     */
    public static EarlyTransports start(TransportFactory factory, DeploySpec spec, Set<String> targets) {
        EarlyTransports early = new EarlyTransports(factory);
        List<Node> first = firstStarted(spec, targets);
        if (first.isEmpty()) {
            return early;
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(first.size(), r -> {
            Thread t = new Thread(r, "facsimile-connect-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (Node node : first) {
                early.opening.put(node, CompletableFuture.supplyAsync(() -> factory.open(node), pool));
            }
        } finally {
            pool.shutdown(); // its threads end once their node is open
        }
        return early;
    }

    /** The nodes the first wave of a deploy of {@code spec} starts at once, in order. */
    static List<Node> firstStarted(DeploySpec spec, Set<String> targets) {
        List<Node> nodes = spec.selectNodes(targets);
        List<List<Node>> waves = new Waves(spec.parallel(), spec.serial(), spec.fleet()).waves(nodes);
        if (waves.isEmpty()) {
            return List.of();
        }
        List<Node> first = waves.get(0);
        // a host named twice is one node, opened once (the deploy opens it again for its second place)
        return first.subList(0, Math.min(first.size(), Math.max(1, spec.parallel()))).stream()
                .distinct()
                .toList();
    }

    /** The nodes being opened early and not yet taken, for tests. */
    List<Node> pending() {
        return List.copyOf(opening.keySet());
    }

    /**
     * The transport opened early for {@code node}, once it is open (waiting for it within the wrapped
     * factory's own bounds, or until this thread is interrupted), or its failure as the wrapped factory
     * threw it; any other node, or the same node asked for again (a revert, a host named twice), is opened
     * now.
     */
    @Override
    public Transport open(Node node) {
        CompletableFuture<Transport> early = opening.remove(node);
        if (early == null) {
            return factory.open(node);
        }
        try {
            return early.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            early.thenAccept(Transport::close); // closed once open: the deploy no longer takes it
            throw DeployException.broken("interrupted while logging in to " + node.name(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw DeployException.broken("cannot connect to " + node.name() + ": " + cause, cause);
        }
    }

    /**
     * Closes every transport opened early that the deploy did not take, at once when it is open and as
     * soon as it is otherwise; a failure to open it is dropped. Does not wait for a login under way.
     */
    @Override
    public void close() {
        for (CompletableFuture<Transport> early : opening.values()) {
            early.whenComplete((transport, failure) -> {
                if (transport != null) {
                    transport.close();
                }
            });
        }
        opening.clear();
    }
}
