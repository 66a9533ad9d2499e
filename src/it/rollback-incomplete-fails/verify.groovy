// case: deploy.rollback-checked
def log = new File(basedir, 'build.log').text
def current = new File(basedir, 'target/deployed/current')

assert log =~ /not rolling back 1\.0-\w+ -> 1\.0-\w+/ : 'rollback is refused'
assert log.contains('[etc/app.properties]') : 'the missing file is listed'
assert log.contains('-Dfacsimile.force') : 'the way to switch anyway is named'
assert new File(current, 'etc/app.properties').text.contains('color=blue') : 'current stays on blue'
return true
