package io.facsimile.core.deploy.ssh;

import java.io.IOException;
import java.io.InputStream;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Writes a new file over SFTP created with its final permissions: an {@code SSH_FXP_OPEN} whose
 * attributes carry the mode (SFTP v3, draft-ietf-secsh-filexfer-02 §6.3), which OpenSSH's server passes
 * to {@code open(2)}. MINA's {@link SftpClient#open} sends no attributes, so the server would create the
 * file {@code 0666 & ~umask} and a {@code 0600} file would be readable by others until its chmod.
 */
final class CreateWithMode {

    private static final int CHUNK = 32 * 1024;

    private CreateWithMode() {}

    /** Creates {@code path} (which must not exist) with {@code mode} and writes {@code content} into it. */
    static void write(SftpClient sftp, String path, int mode, InputStream content) throws IOException {
        RawSftpClient raw = (RawSftpClient) sftp;
        Buffer request = new ByteArrayBuffer(path.length() * 4 + 32, false);
        request.putString(path);
        request.putInt(SftpConstants.SSH_FXF_WRITE | SftpConstants.SSH_FXF_CREAT | SftpConstants.SSH_FXF_EXCL);
        request.putInt(SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS);
        request.putInt(mode);
        Buffer reply = raw.receive(raw.send(SftpConstants.SSH_FXP_OPEN, request));
        reply.getInt(); // length
        int type = reply.getUByte();
        reply.getInt(); // request id
        if (type == SftpConstants.SSH_FXP_STATUS) {
            int status = reply.getInt();
            throw new SftpException(status, reply.getString());
        }
        if (type != SftpConstants.SSH_FXP_HANDLE) {
            throw new IOException("unexpected SFTP reply " + type + " to an open of " + path);
        }
        SftpClient.CloseableHandle handle = new SftpClient.CloseableHandle(path, reply.getBytes()) {
            private boolean open = true;

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                if (open) {
                    open = false;
                    sftp.close(this);
                }
            }
        };
        try (handle) {
            byte[] buf = new byte[CHUNK];
            long offset = 0;
            for (int n = content.read(buf); n >= 0; n = content.read(buf)) {
                sftp.write(handle, offset, buf, 0, n);
                offset += n;
            }
        }
    }
}
