package io.facsimile.core.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two line lists ({@code diff -u}), from a longest common subsequence. Meant for
 * configuration files: inputs beyond {@value #MAX_CELLS} line pairs (after common head and tail are
 * set aside) are shown as one hunk that replaces everything.
 */
public final class UnifiedDiff {

    /** The largest LCS table the diff builds, in cells. */
    public static final long MAX_CELLS = 4_000_000L;

    private enum Op { KEEP, DEL, ADD }

    private record Edit(Op op, String line, int oldLine, int newLine) {}

    private final int context;

    /** A diff with the given number of context lines (3 as in {@code diff -u}). */
    public UnifiedDiff(int context) {
        this.context = context;
    }

    /**
     * The unified diff of {@code a} to {@code b} with {@code ---}/{@code +++} headers, or an empty
     * string when they are equal.
     */
    public String diff(String oldName, String newName, List<String> a, List<String> b) {
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(e -> e.op() == Op.KEEP)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldName).append('\n').append("+++ ").append(newName).append('\n');
        List<Integer> changes = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            if (edits.get(i).op() != Op.KEEP) {
                changes.add(i);
            }
        }
        int g = 0;
        while (g < changes.size()) {
            int first = changes.get(g);
            int last = first;
            // Changes closer than 2 * context unchanged lines share a hunk, as in diff -u.
            while (g + 1 < changes.size() && changes.get(g + 1) - last - 1 <= 2 * context) {
                last = changes.get(++g);
            }
            g++;
            appendHunk(out, edits.subList(Math.max(0, first - context), Math.min(edits.size(), last + context + 1)));
        }
        return out.toString();
    }

    private static void appendHunk(StringBuilder out, List<Edit> hunk) {
        int oldStart = -1;
        int newStart = -1;
        int oldCount = 0;
        int newCount = 0;
        for (Edit e : hunk) {
            if (e.op() != Op.ADD) {
                oldCount++;
                if (oldStart < 0) {
                    oldStart = e.oldLine();
                }
            }
            if (e.op() != Op.DEL) {
                newCount++;
                if (newStart < 0) {
                    newStart = e.newLine();
                }
            }
        }
        // diff -u names the line before an empty range.
        oldStart = oldCount == 0 ? hunk.get(0).oldLine() - 1 : oldStart;
        newStart = newCount == 0 ? hunk.get(0).newLine() - 1 : newStart;
        out.append("@@ -").append(range(oldStart, oldCount)).append(" +").append(range(newStart, newCount))
                .append(" @@\n");
        for (Edit e : hunk) {
            out.append(switch (e.op()) {
                case KEEP -> ' ';
                case DEL -> '-';
                case ADD -> '+';
            }).append(e.line()).append('\n');
        }
    }

    private static String range(int start, int count) {
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }

    private static List<Edit> edits(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<String> am = a.subList(head, a.size() - tail);
        List<String> bm = b.subList(head, b.size() - tail);
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            edits.add(new Edit(Op.KEEP, a.get(i), i + 1, i + 1));
        }
        middle(am, bm, head, edits);
        for (int i = tail; i > 0; i--) {
            edits.add(new Edit(Op.KEEP, a.get(a.size() - i), a.size() - i + 1, b.size() - i + 1));
        }
        return edits;
    }

    private static void middle(List<String> a, List<String> b, int offset, List<Edit> edits) {
        int n = a.size();
        int m = b.size();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < n; i++) {
                edits.add(new Edit(Op.DEL, a.get(i), offset + i + 1, offset + 1));
            }
            for (int j = 0; j < m; j++) {
                edits.add(new Edit(Op.ADD, b.get(j), offset + n + 1, offset + j + 1));
            }
            return;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(Op.KEEP, a.get(i), offset + i + 1, offset + j + 1));
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
                edits.add(new Edit(Op.ADD, b.get(j), offset + i + 1, offset + j + 1));
                j++;
            } else {
                edits.add(new Edit(Op.DEL, a.get(i), offset + i + 1, offset + j + 1));
                i++;
            }
        }
    }
}
