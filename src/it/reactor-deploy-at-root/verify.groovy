def log = new File(basedir, 'build.log').text

// the parent (pom packaging) and lib (no definitions directory) are skipped with one line each
assert log.contains('Skipping reactor-deploy-at-root: it has no definitions directory')
assert log.contains('Skipping lib: it has no definitions directory')
assert !new File(basedir, 'target/deployed').exists()
assert !new File(basedir, 'lib/target/deployed').exists()
// app, the module with definitions, is deployed
def deployed = new File(basedir, 'app/target/deployed/current/etc/app.properties')
assert deployed.text.contains('greeting=hello from app')
