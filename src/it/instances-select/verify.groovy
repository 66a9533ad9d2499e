def log = new File(basedir, 'build.log').text
// 1: three bundles packaged (attached with the instance as classifier), one instance deployed
['dev.local', 'prod.eu1', 'prod.us1'].each {
    assert log.contains("instances-select-1.0-${it}.tar.gz") : "bundle of $it expected in the log"
}
assert new File(basedir, 'deployed/dev.local/current/etc/app.properties').text.contains('region=local')
assert !new File(basedir, 'deployed/prod.eu1').exists()
assert log.contains('package works on dev.local, prod.eu1, prod.us1; -Dinstance=dev.local only chooses')
// 2: after clean, render of -Dfacsimile.instances renders just those two
def rendered = new File(basedir, 'target/facsimile').list().findAll { !it.startsWith('.') }.sort()
assert rendered == ['dev.local', 'prod.us1'] : "rendered: $rendered"
return true
