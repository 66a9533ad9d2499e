import java.security.MessageDigest
import java.util.zip.GZIPInputStream
import groovy.json.JsonSlurper

def sha256 = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def release = new File(basedir, 'target/facsimile/prod.eu1')

// render: layers and selection order (eu1 after prod), module templates per service instance
assert new File(release, '_DEPLOY_/etc/app.properties').text.contains('env=prod')
assert new File(new File(basedir, 'target/facsimile/dev.a'), '_DEPLOY_/etc/app.properties').text.contains('port=8001')
assert new File(release, '_DEPLOY_/etc/region.txt').text.trim() == 'region eu1'
assert new File(release, '_DEPLOY_/conf/api/apid.0.properties').text.contains('uiid=')
assert new File(release, '_DEPLOY_/conf/api/apid.1.properties').exists()
assert new File(release, '_DEPLOY_/etc/render-package-install.version').text.trim() == '1.0'
def script = new File(release, '_DEPLOY_/bin/run.sh').toPath()
assert java.nio.file.Files.getPosixFilePermissions(script).toString().contains('OWNER_EXECUTE')

// manifest lists every deploy-tree file with size, mode and sha256
def manifest = new JsonSlurper().parse(new File(release, 'manifest.json'))
def entry = manifest.files.find { it.path == 'bin/run.sh' }
assert entry.mode == '0755'
assert entry.sha256 == sha256(script.toFile())

// the state holds real passwords; the release dir uses them
def state = new JsonSlurper().parse(new File(basedir, '.facsimile/state/prod.eu1/state.json'))
def password = state.passwd.db
assert password.length() == 32
assert new File(release, '_DEPLOY_/etc/app.properties').text.contains(password)

// package + attach + install: the bundle sits in the local repository with the instance as classifier
def installed = new File(localRepositoryPath, 'io/facsimile/it/render-package-install/1.0/render-package-install-1.0-prod.eu1.tar.gz')
assert installed.isFile() : "not installed: $installed"
assert new File(localRepositoryPath, 'io/facsimile/it/render-package-install/1.0/render-package-install-1.0-dev.a.tar.gz').isFile()

// sealed: no value of the state appears anywhere in the attached archive
def tar = new GZIPInputStream(new FileInputStream(installed)).bytes
def text = new String(tar, 'ISO-8859-1')
state.passwd.values().each { assert !text.contains(it) : 'a state password is in the attached bundle' }
assert text.contains('********')
assert text.contains('"sealed" : true')

// reproducible: the clean rebuild gave the same bytes
def rebuilt = new File(basedir, 'target/render-package-install-1.0-prod.eu1.tar.gz')
assert sha256(rebuilt) == sha256(installed)

// quiet output: no archiver's "Building tar: …tmp" line at the default level
assert !new File(basedir, 'build.log').text.contains('Building tar')

// the plugin jar this build used carries its Eclipse m2e lifecycle mapping
def pluginJars = []
new File(localRepositoryPath, 'io/facsimile/facsimile-maven-plugin').eachFileRecurse {
    if (it.name ==~ /facsimile-maven-plugin-.*\.jar/) pluginJars << it
}
assert !pluginJars.isEmpty()
pluginJars.each { jar ->
    new java.util.zip.ZipFile(jar).withCloseable { zip ->
        def mapping = zip.getEntry('META-INF/m2e/lifecycle-mapping-metadata.xml')
        assert mapping != null : "no m2e lifecycle mapping in ${jar}"
        assert zip.getInputStream(mapping).text.contains('<runOnConfiguration>true</runOnConfiguration>')
    }
}
return true
