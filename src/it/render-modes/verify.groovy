import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.attribute.PosixFilePermissions

def release = new File(basedir, 'target/facsimile/dev').toPath()
def mode = { String path ->
    PosixFilePermissions.toString(Files.getPosixFilePermissions(release.resolve(path), LinkOption.NOFOLLOW_LINKS))
}
// the password is there, and only its owner can read the file
assert release.resolve('_DEPLOY_/etc/app.properties').toFile().text =~ /password=.{8,}/
assert mode('_DEPLOY_/etc/app.properties') == 'rw-------'
assert mode('_DEPLOY_/etc/public.properties') == 'rw-r--r--'
assert mode('_DEPLOY_/etc/tls.key') == 'r--------'
assert mode('_DEPLOY_/lib/data.txt') == 'rw-r-----'
// the manifest, whose modes the deploy applies on the node, says the same
def manifest = release.resolve('manifest.json').toFile().text
assert manifest =~ /"etc\/app.properties"[^}]*"0600"/ || manifest =~ /"0600"[^}]*"etc\/app.properties"/
assert manifest =~ /"etc\/tls.key"[^}]*"0400"/ || manifest =~ /"0400"[^}]*"etc\/tls.key"/
assert manifest =~ /"lib\/data.txt"[^}]*"0640"/ || manifest =~ /"0640"[^}]*"lib\/data.txt"/
// the sealed copy the bundle is made of: its placeholder stands where the password goes, owner-only too
def sealed = new File(basedir, 'target/facsimile/.sealed/dev').toPath()
assert sealed.resolve('_DEPLOY_/etc/app.properties').toFile().text.contains('********')
assert PosixFilePermissions.toString(Files.getPosixFilePermissions(sealed.resolve('_DEPLOY_/etc/app.properties'),
        LinkOption.NOFOLLOW_LINKS)) == 'rw-------'
assert sealed.resolve('manifest.json').toFile().text =~ /"etc\/app.properties"[^}]*"0600"/ \
        || sealed.resolve('manifest.json').toFile().text =~ /"0600"[^}]*"etc\/app.properties"/
return true
