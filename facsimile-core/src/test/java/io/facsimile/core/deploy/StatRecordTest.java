package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatRecordTest {

    private static final TreeMap<String, FileStat> STATS = new TreeMap<>(Map.of(
            "etc", new FileStat("d", "0755", 4096, "1796016904.8909069820", 2695278),
            "etc/app.conf", new FileStat("f", "0600", 12, "1796016904.88", 2695279),
            "etc/a \"quoted\" näme", new FileStat("f", "0644", 0, "1", 7)));

    @Test
    void writesWhatDataBindingWroteAndReadsItBack() {
        // releases staged by earlier versions carry records that data binding wrote: the same document
        byte[] bound = ("{\"etc\":{\"type\":\"d\",\"mode\":\"0755\",\"size\":4096,\"mtime\":\"1796016904.8909069820\","
                        + "\"inode\":2695278},\"etc/a \\\"quoted\\\" näme\":{\"type\":\"f\",\"mode\":\"0644\",\"size\":0,"
                        + "\"mtime\":\"1\",\"inode\":7},\"etc/app.conf\":{\"type\":\"f\",\"mode\":\"0600\",\"size\":12,"
                        + "\"mtime\":\"1796016904.88\",\"inode\":2695279}}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(new String(StatRecord.write(STATS), StandardCharsets.UTF_8))
                .isEqualTo(new String(bound, StandardCharsets.UTF_8));
        assertThat(StatRecord.read(bound)).contains(STATS);
        assertThat(StatRecord.read(StatRecord.write(STATS))).contains(STATS);
    }

    @Test
    void aDamagedRecordIsNoRecord() {
        for (String damaged :
                new String[] {"", "[]", "{\"a\": 3}", "{\"a\": {\"type\": \"f\"}}", "{\"a\": {", "null"}) {
            assertThat(StatRecord.read(damaged.getBytes(StandardCharsets.UTF_8)))
                    .as(damaged)
                    .isEmpty();
        }
    }

    @Test
    void theDigestChangesWithEveryFieldOfEveryEntryButTheRecordsOwnFiles() {
        String digest = StatRecord.digest("1.0-abc", STATS);
        assertThat(StatRecord.digest("1.0-abd", STATS)).isNotEqualTo(digest);
        // the same entries in a map of another kind and order
        assertThat(StatRecord.digest("1.0-abc", new java.util.HashMap<>(STATS))).isEqualTo(digest);

        List<FileStat> changed = List.of(
                new FileStat("d", "0600", 12, "1796016904.88", 2695279),
                new FileStat("f", "0644", 12, "1796016904.88", 2695279),
                new FileStat("f", "0600", 13, "1796016904.88", 2695279),
                new FileStat("f", "0600", 12, "1796016904.89", 2695279),
                new FileStat("f", "0600", 12, "1796016904.88", 2695280));
        for (FileStat stat : changed) {
            TreeMap<String, FileStat> other = new TreeMap<>(STATS);
            other.put("etc/app.conf", stat);
            assertThat(StatRecord.digest("1.0-abc", other)).as(stat.toString()).isNotEqualTo(digest);
        }
        TreeMap<String, FileStat> renamed = new TreeMap<>(STATS);
        renamed.put("etc/app.conf2", renamed.remove("etc/app.conf"));
        assertThat(StatRecord.digest("1.0-abc", renamed)).isNotEqualTo(digest);
        TreeMap<String, FileStat> extra = new TreeMap<>(STATS);
        extra.put("etc/extra", new FileStat("f", "0644", 0, "1", 9));
        assertThat(StatRecord.digest("1.0-abc", extra)).isNotEqualTo(digest);

        // written after the listing they record: left out
        TreeMap<String, FileStat> own = new TreeMap<>(STATS);
        own.put(".facsimile", new FileStat("d", "0755", 4096, "5", 10));
        own.put(Layout.STAT_RECORD, new FileStat("f", "0644", 99, "6", 11));
        own.put(Layout.STAT_DIGEST, new FileStat("f", "0644", 17, "7", 12));
        assertThat(StatRecord.digest("1.0-abc", own)).isEqualTo(digest);
        own.put(".facsimile/manifest.json", new FileStat("f", "0644", 120, "4", 13));
        assertThat(StatRecord.digest("1.0-abc", own)).isNotEqualTo(digest);
    }
}
