package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FindListingTest {

    @Test
    void aRecordReadsAsFindPrintedItWithItsTimeInNanosecondsWhenAsked() {
        String output = "f 644 12 1732976000.1234567890 77 a b/c d\0d 2755 4096 1732976001 78 dir\0"
                + "l 777 3 1732976002.5 79 link\0p 600 0 0.000000001 80 fifo\0";
        Map<String, FileStat> asPrinted = FindListing.parse(output);
        assertThat(asPrinted.get("a b/c d")).isEqualTo(new FileStat("f", "0644", 12, "1732976000.1234567890", 77));
        Map<String, FileStat> nanos = FindListing.parse(output, true);
        assertThat(nanos.get("a b/c d")).isEqualTo(new FileStat("f", "0644", 12, "1732976000123456789", 77));
        assertThat(nanos.get("dir")).isEqualTo(new FileStat("d", "2755", 4096, "1732976001000000000", 78));
        assertThat(nanos.get("link")).isEqualTo(new FileStat("l", "0777", 3, "1732976002500000000", 79));
        assertThat(nanos.get("fifo")).isEqualTo(new FileStat("o", "0600", 0, "1", 80));
    }

    @Test
    void aTimeBefore1970OrNotATimeIsRefusedInNanoseconds() {
        assertThatThrownBy(() -> FindListing.parse("f 644 1 -5.5 1 a\0", true))
                .isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("before 1970");
        assertThatThrownBy(() -> FindListing.parse("f 644 1 5.5x 1 a\0", true))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> FindListing.parse("f 644 1 x 1 a\0", true)).isInstanceOf(NumberFormatException.class);
    }
}
