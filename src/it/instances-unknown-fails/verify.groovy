def log = new File(basedir, 'build.log').text
assert log.contains("unknown instance 'prod.eu2': not one of the configured instances, and no layer file eu2.yaml"
        + " (did you mean prod.eu1?); instances: dev.local, prod.eu1, prod.us1")
assert log.contains("unknown instance 'stagin.us1': not one of the configured instances, and no layer file"
        + " stagin.yaml")
assert log.contains('The goal deploy works on one instance: add -Dinstance=<name>.'
        + ' Instances: dev.local, prod.eu1, prod.us1')
// nothing written: no state (no new passwords), no release dir, not even for dev.local of the same run
assert !new File(basedir, '.facsimile').exists()
assert !new File(basedir, 'target/facsimile').exists()
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
