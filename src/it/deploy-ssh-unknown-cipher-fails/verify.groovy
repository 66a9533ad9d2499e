def log = new File(basedir, 'build.log').text
assert log.contains('the SSH cipher list "aes128-ctr,rot13" names unknown ciphers [rot13]') : 'the error names the unknown cipher'
assert log.contains('known are chacha20-poly1305@openssh.com') : 'and says which are known'
assert log.contains('fix -Dfacsimile.ssh.ciphers (<sshCiphers>), or leave it out') : 'and what to do'
assert !log.contains('Connecting') && !log.contains('127.0.0.1:9:') : 'no node was dialled'
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
