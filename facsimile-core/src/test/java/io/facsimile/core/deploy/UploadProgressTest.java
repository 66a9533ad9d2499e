package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The progress lines of an upload: at most one per node every two seconds, with files, bytes and percent. */
class UploadProgressTest {

    @Test
    void saysFilesBytesAndPercentAtMostEveryTwoSecondsAndCountsIntoTheResult() {
        RecordingListener listener = new RecordingListener();
        NodeRun run = new NodeRun(Node.LOCAL, null, listener, new Masker(Set.of()), "tester", Clock.systemUTC());
        long[] now = {0};
        UploadProgress progress = new UploadProgress(run, 4, 4 << 20, () -> now[0]);

        progress.sent(1 << 20);
        now[0] = 1_900_000_000L;
        progress.sent(1 << 20);
        assertThat(listener.lines).isEmpty();
        now[0] = 2_000_000_000L;
        progress.sent(1 << 20);
        now[0] = 9_000_000_000L;
        progress.sent(1 << 20);

        // the last file needs no line: the node's result line follows
        assertThat(listener.lines).containsExactly("sent 3 of 4 files, 3.0 MiB of 4.0 MiB (75%)");
        assertThat(run.filesSent).isEqualTo(4);
        assertThat(run.bytesSent).isEqualTo(4 << 20);

        progress.note("sending file by file");
        progress.note("sending file by file");
        assertThat(listener.lines).containsOnlyOnce("sending file by file");
    }
}
