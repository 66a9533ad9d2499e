package io.facsimile.core.deploy;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two line lists, formatted as {@code diff -u} does (a one-line range without its
 * count, an empty one named by the line before it). The edits come from java-diff-utils.
 */
public final class UnifiedDiff {

    private enum Op {
        KEEP,
        DEL,
        ADD
    }

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
        out.append("--- ")
                .append(oldName)
                .append('\n')
                .append("+++ ")
                .append(newName)
                .append('\n');
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
        out.append("@@ -")
                .append(range(oldStart, oldCount))
                .append(" +")
                .append(range(newStart, newCount))
                .append(" @@\n");
        for (Edit e : hunk) {
            out.append(
                            switch (e.op()) {
                                case KEEP -> ' ';
                                case DEL -> '-';
                                case ADD -> '+';
                            })
                    .append(e.line())
                    .append('\n');
        }
    }

    private static String range(int start, int count) {
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }

    /** Every line of both inputs as kept, deleted or added, from java-diff-utils' Myers diff. */
    private static List<Edit> edits(List<String> a, List<String> b) {
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        for (AbstractDelta<String> delta : DiffUtils.diff(a, b).getDeltas()) {
            Chunk<String> source = delta.getSource();
            Chunk<String> target = delta.getTarget();
            while (i < source.getPosition()) {
                edits.add(new Edit(Op.KEEP, a.get(i), ++i, ++j));
            }
            for (String line : source.getLines()) {
                edits.add(new Edit(Op.DEL, line, ++i, j + 1));
            }
            for (String line : target.getLines()) {
                edits.add(new Edit(Op.ADD, line, i + 1, ++j));
            }
        }
        while (i < a.size()) {
            edits.add(new Edit(Op.KEEP, a.get(i), ++i, ++j));
        }
        return edits;
    }
}
