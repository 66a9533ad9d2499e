package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The logins a deploy starts while its release renders: which nodes, handed out once, closed when not taken. */
class EarlyTransportsTest {

    /** A factory whose transports record being closed; {@code gate} holds every open until it is counted down. */
    private static final class Opening implements TransportFactory {

        final List<String> opened = Collections.synchronizedList(new ArrayList<>());
        final List<String> closed = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch gate;
        final RuntimeException failure;

        Opening(CountDownLatch gate, RuntimeException failure) {
            this.gate = gate;
            this.failure = failure;
        }

        @Override
        public Transport open(Node node) {
            threads.add(Thread.currentThread().getName());
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            opened.add(node.host());
            return (Transport) Proxy.newProxyInstance(
                    Transport.class.getClassLoader(), new Class<?>[] {Transport.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "node":
                                return node;
                            case "close":
                                closed.add(node.host());
                                return null;
                            default:
                                throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }
    }

    /** Five web nodes, then two db nodes, with the given settings besides. */
    private static DeploySpec spec(Map<String, Object> more) {
        Map<String, Object> nodes = new LinkedHashMap<>();
        nodes.put("web", List.of("w1", "w2", "w3", "w4", "w5"));
        nodes.put("db", List.of("d1", "d2"));
        Map<String, Object> deploy = new LinkedHashMap<>(more);
        deploy.put("home", "/srv/shop");
        deploy.put("nodes", nodes);
        return DeploySpec.parse(deploy);
    }

    private static List<String> hosts(List<Node> nodes) {
        return nodes.stream().map(Node::host).toList();
    }

    @Test
    void onlyTheNodesTheFirstWaveStartsAtOnceAreOpenedEarly() {
        assertThat(hosts(EarlyTransports.firstStarted(spec(Map.of("parallel", 2)), Set.of())))
                .containsExactly("w1", "w2");
        assertThat(hosts(EarlyTransports.firstStarted(spec(Map.of("parallel", 20)), Set.of())))
                .containsExactly("w1", "w2", "w3", "w4", "w5", "d1", "d2");
        // a canary wave alone goes first; a wave of serial nodes is started parallel at a time
        assertThat(hosts(EarlyTransports.firstStarted(spec(Map.of("parallel", 20, "canary", 1)), Set.of())))
                .containsExactly("w1");
        assertThat(hosts(EarlyTransports.firstStarted(spec(Map.of("parallel", 20, "serial", 2)), Set.of())))
                .containsExactly("w1", "w2");
        assertThat(hosts(EarlyTransports.firstStarted(spec(Map.of("parallel", 20)), Set.of("db"))))
                .containsExactly("d1", "d2");
    }

    @Test
    void aNodeOpenedEarlyIsHandedOutOnceAndTheOthersAreOpenedWhenAskedFor() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        Opening factory = new Opening(gate, null);
        DeploySpec spec = spec(Map.of("parallel", 2));
        List<Node> nodes = spec.selectNodes(Set.of());
        try (EarlyTransports early = EarlyTransports.start(factory, spec, Set.of())) {
            assertThat(hosts(early.pending())).containsExactlyInAnyOrder("w1", "w2");
            gate.countDown();
            awaitSize(factory.opened, 2); // both early logins done, on their own threads
            assertThat(factory.opened).containsExactlyInAnyOrder("w1", "w2");
            assertThat(factory.threads).allMatch(name -> name.startsWith("facsimile-connect-"));

            Transport first = early.open(nodes.get(0));
            assertThat(first.node()).isEqualTo(nodes.get(0));
            assertThat(hosts(early.pending())).containsExactly("w2");
            early.open(nodes.get(2)); // not opened early: opened now, on this thread
            early.open(nodes.get(0)); // asked for again (a revert): opened again
            assertThat(factory.opened).containsExactlyInAnyOrder("w1", "w2", "w3", "w1");
            assertThat(factory.threads.subList(2, 4))
                    .containsOnly(Thread.currentThread().getName());
        }
        // the one not taken is closed (once its login is done), the ones handed out are the deploy's to close
        awaitSize(factory.closed, 1);
        assertThat(factory.closed).containsExactly("w2");
    }

    @Test
    void aHostNamedTwiceInATargetIsOpenedEarlyOnceAndClosedWhenNotTaken() throws InterruptedException {
        Opening factory = new Opening(new CountDownLatch(0), null);
        DeploySpec spec = DeploySpec.parse(Map.of("home", "/srv/shop", "nodes", Map.of("web", List.of("w1", "w1"))));
        assertThat(hosts(EarlyTransports.firstStarted(spec, Set.of()))).containsExactly("w1");
        try (EarlyTransports early = EarlyTransports.start(factory, spec, Set.of())) {
            assertThat(hosts(early.pending())).containsExactly("w1");
            awaitSize(factory.opened, 1);
        }
        awaitSize(factory.closed, 1);
        assertThat(factory.opened).containsExactly("w1");
        assertThat(factory.closed).containsExactly("w1");
    }

    /** Waits until {@code list} holds {@code size} elements, for 10 s at most. */
    private static void awaitSize(List<String> list, int size) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (list.size() < size && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(list).hasSize(size);
    }

    @Test
    void aLoginStillUnderWayAtCloseIsClosedOnceItIsOpen() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        Opening factory = new Opening(gate, null);
        EarlyTransports early = EarlyTransports.start(factory, spec(Map.of("parallel", 1)), Set.of());
        early.close();
        assertThat(factory.closed).isEmpty();
        gate.countDown();
        awaitSize(factory.closed, 1);
        assertThat(factory.closed).containsExactly("w1");
        assertThat(early.pending()).isEmpty();
    }

    @Test
    void aFailedEarlyLoginIsThrownByOpenAsTheFactoryThrewIt() {
        DeployException refused = DeployException.refused("authentication failed on w1");
        Opening factory = new Opening(new CountDownLatch(0), refused);
        DeploySpec spec = spec(Map.of("parallel", 1));
        try (EarlyTransports early = EarlyTransports.start(factory, spec, Set.of())) {
            assertThatThrownBy(() -> early.open(spec.selectNodes(Set.of()).get(0)))
                    .isSameAs(refused);
        }
        assertThat(factory.closed).isEmpty();
    }
}
