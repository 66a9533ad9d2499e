package io.facsimile.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.FacsimileException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InstanceWorkersTest {

    private static final List<String> MANY =
            IntStream.range(0, 40).mapToObj(i -> "i" + i).toList();

    @Test
    void resultsComeInTheOrderOfTheInstancesWhateverTheThreads() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<String> results = InstanceWorkers.map(MANY, 3, instance -> {
            threads.add(Thread.currentThread().getName());
            return instance.toUpperCase(java.util.Locale.ROOT);
        });
        assertThat(results)
                .isEqualTo(MANY.stream()
                        .map(i -> i.toUpperCase(java.util.Locale.ROOT))
                        .toList());
        assertThat(threads).allMatch(name -> name.startsWith("facsimile-")).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void oneThreadRunsOnTheCallersThread() {
        String caller = Thread.currentThread().getName();
        assertThat(InstanceWorkers.map(
                        List.of("a", "b"), 1, instance -> Thread.currentThread().getName()))
                .containsOnly(caller);
    }

    @Test
    void theFailureOfTheFirstInstanceInListOrderWinsEvenWhenALaterOneFailedFirst() {
        // b fails while a runs: a has started (or, after b's failure, it would not start at all)
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch laterFailed = new CountDownLatch(1);
        assertThatThrownBy(() -> InstanceWorkers.map(List.of("a", "b"), 2, instance -> {
                    try {
                        if (instance.equals("b")) {
                            firstStarted.await(10, TimeUnit.SECONDS);
                            laterFailed.countDown();
                            throw new FacsimileException("b is broken");
                        }
                        firstStarted.countDown();
                        laterFailed.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new FacsimileException("a is broken");
                }))
                .hasMessage("a is broken")
                .satisfies(e -> assertThat(e.getSuppressed())
                        .extracting(Throwable::getMessage)
                        .containsExactly("b is broken"));
    }

    @Test
    void afterAFailureNoFurtherInstanceStarts() {
        Set<String> started = ConcurrentHashMap.newKeySet();
        assertThatThrownBy(() -> InstanceWorkers.map(MANY, 2, instance -> {
                    started.add(instance);
                    if (instance.equals("i0")) {
                        throw new FacsimileException("i0 is broken");
                    }
                    try {
                        Thread.sleep(50); // the other 39 would take 2 s on one thread: i0 fails long before
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return instance;
                }))
                .hasMessage("i0 is broken");
        // i0 fails at once; at most the instances already taken by the other thread ran
        assertThat(started).hasSizeLessThan(MANY.size());
    }

    @Test
    void failAtEndWorksOnEveryInstanceAndNamesEachThatFailed() {
        for (int threads : new int[] {1, 3}) {
            Set<String> done = ConcurrentHashMap.newKeySet();
            assertThatThrownBy(() -> InstanceWorkers.map(
                            List.of("a", "b", "c", "d"), threads, FailurePolicy.FAIL_AT_END, instance -> {
                                done.add(instance);
                                if (instance.equals("a") || instance.equals("c")) {
                                    throw FacsimileException.userError(instance + ": prod.yaml:1:1: broken");
                                }
                                return instance;
                            }))
                    .isInstanceOf(FacsimileException.class)
                    .matches(e -> ((FacsimileException) e).isUserError())
                    .hasMessage("2 of 4 instances failed: a, c\na: prod.yaml:1:1: broken\nc: prod.yaml:1:1: broken");
            assertThat(done).containsExactlyInAnyOrder("a", "b", "c", "d");
        }
        assertThat(InstanceWorkers.map(List.of("a", "b"), 2, FailurePolicy.FAIL_AT_END, String::length))
                .containsExactly(1, 1);
    }

    @Test
    void failAtEndIsABrokenRunWhenAnyInstanceBrokeNotOnlyUserErrors() {
        assertThatThrownBy(() -> InstanceWorkers.map(List.of("a", "b"), 1, FailurePolicy.FAIL_AT_END, instance -> {
                    throw instance.equals("a")
                            ? FacsimileException.userError("a: wrong")
                            : FacsimileException.broken("b: disk full", new java.io.IOException("ENOSPC"));
                }))
                .isInstanceOf(FacsimileException.class)
                .matches(e -> !((FacsimileException) e).isUserError())
                .hasMessageStartingWith("2 of 2 instances failed: a, b");
    }
}
