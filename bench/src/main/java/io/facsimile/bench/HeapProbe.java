package io.facsimile.bench;

import io.facsimile.core.api.Facsimile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Child JVM of the heap scenario: renders the first {@code n} instances of a generated project one
 * after another and prints one markdown row: the peak heap used (sum of the heap pools' peaks) and
 * the heap still used after a full GC following the first and the last instance. If rendering kept
 * something per instance, the last figure would grow with {@code n}.
 *
 * <p>Usage: {@code HeapProbe PROJECT_DIR N}
 */
public final class HeapProbe {

    private HeapProbe() {}

    public static void main(String[] args) {
        Path project = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        System.gc();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        Facsimile facsimile = Bench.facsimile(project);
        double afterFirst = 0;
        double afterLast = 0;
        for (int i = 0; i < n; i++) {
            Bench.renderAll(facsimile, List.of(ProjectGenerator.instance(i)));
            if (i == 0 || i == n - 1) {
                double used = usedAfterGc();
                if (i == 0) {
                    afterFirst = used;
                }
                afterLast = used;
            }
        }
        long peak = heapPools.stream()
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
        System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f |%n", n, peak / 1048576.0, afterFirst, afterLast);
    }

    private static double usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }
}
