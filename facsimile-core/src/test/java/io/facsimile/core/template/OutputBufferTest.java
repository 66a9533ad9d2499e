package io.facsimile.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputBufferTest {

    @Test
    void collectsEveryKindOfWriteBeyondItsInitialSize() throws Exception {
        OutputBuffer out = new OutputBuffer(2);
        out.write("héllo".toCharArray(), 1, 3);
        out.write(" wörld!", 0, 6);
        out.write('!');
        out.append("…").append("ab", 1, 2);
        out.write("x");
        out.flush();
        out.close();
        assertThat(out).hasToString("éll wörld!…bx");
    }
}
