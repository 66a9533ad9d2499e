package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    private final UnifiedDiff diff = new UnifiedDiff(3);

    @Test
    void equalInputsGiveNothing() {
        assertThat(diff.diff("a", "b", List.of("x"), List.of("x"))).isEmpty();
    }

    @Test
    void oneChangedLineWithThreeLinesOfContext() {
        List<String> a = IntStream.rangeClosed(1, 10).mapToObj(i -> "line " + i).toList();
        List<String> b =
                a.stream().map(s -> s.equals("line 5") ? "line five" : s).toList();
        assertThat(diff.diff("a/f", "b/f", a, b)).isEqualTo("""
                --- a/f
                +++ b/f
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +line five
                 line 6
                 line 7
                 line 8
                """);
    }

    @Test
    void distantChangesMakeTwoHunksAndNewFilesStartAtZero() {
        List<String> a =
                IntStream.rangeClosed(1, 20).mapToObj(Integer::toString).toList();
        List<String> b = new java.util.ArrayList<>(a);
        b.set(0, "one");
        b.set(19, "twenty");
        String d = diff.diff("a", "b", a, b);
        assertThat(d).contains("@@ -1,4 +1,4 @@").contains("@@ -17,4 +17,4 @@");
        assertThat(diff.diff("/dev/null", "b/x", List.of(), List.of("new"))).contains("@@ -0,0 +1 @@\n+new\n");
    }

    @Test
    void aLargeFileWithChangesAtBothEndsStillGetsSmallHunks() {
        List<String> a = IntStream.rangeClosed(1, 5000)
                .mapToObj(i -> "key" + i + "=" + i)
                .toList();
        List<String> b = new java.util.ArrayList<>(a);
        b.set(0, "key1=one");
        b.set(2500, "key2501=changed");
        b.add("key5001=new");

        String d = diff.diff("a", "b", a, b);

        assertThat(d.lines().filter(line -> line.startsWith("@@")))
                .containsExactly("@@ -1,4 +1,4 @@", "@@ -2498,7 +2498,7 @@", "@@ -4998,3 +4998,4 @@");
        assertThat(d.lines().filter(line -> line.startsWith("-") && !line.startsWith("---")))
                .hasSize(2);
    }

    @Test
    void deletedLinesAndARemovedFile() {
        assertThat(diff.diff("a", "b", List.of("1", "2", "3"), List.of("1", "3")))
                .isEqualTo("""
                --- a
                +++ b
                @@ -1,3 +1,2 @@
                 1
                -2
                 3
                """);
        assertThat(diff.diff("a/x", "/dev/null", List.of("old"), List.of())).contains("@@ -1 +0,0 @@\n-old\n");
    }
}
