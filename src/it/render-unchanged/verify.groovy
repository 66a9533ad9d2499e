def log = new File(basedir, 'build.log').text
// the second build finds every input unchanged and skips the instance without reading a template
assert log.contains('dev: release dir up to date, nothing rewritten (no input changed)')
assert new File(basedir, 'target/facsimile/dev/_DEPLOY_/a.txt').text == 'a=1\n'
// the stamp lives beside the release dir, never in it, so neither bundles nor deploys carry it
assert new File(basedir, 'target/facsimile/.dev.stamp').isFile()
assert !new File(basedir, 'target/facsimile/dev/.dev.stamp').exists()
return true
