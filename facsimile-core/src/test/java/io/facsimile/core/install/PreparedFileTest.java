package io.facsimile.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PreparedFileTest {

    @Test
    void theContentViewIsReadOnlyAndLeavesTheFileAsItWas() {
        byte[] bytes = "port=8080\n".getBytes(StandardCharsets.UTF_8);
        PreparedFile file = new PreparedFile("_DEPLOY_/etc/app.conf", bytes, null, null);
        bytes[0] = 'X'; // the caller's array is not the file's

        ByteBuffer view = file.contentBuffer();
        assertThat(view.isReadOnly()).isTrue();
        assertThatThrownBy(() -> view.put(0, (byte) 'Y')).isInstanceOf(ReadOnlyBufferException.class);
        view.get(new byte[view.remaining()]); // reading one view does not move the next
        assertThat(file.contentBuffer()).isEqualTo(ByteBuffer.wrap("port=8080\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(file.content()).asString(StandardCharsets.UTF_8).isEqualTo("port=8080\n");
        assertThat(new PreparedFile("x", null, Path.of("src"), null).contentBuffer())
                .isNull();
    }
}
