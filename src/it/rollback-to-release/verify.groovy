// case: deploy.rollback-to
def log = new File(basedir, 'build.log').text
def current = new File(basedir, 'target/deployed/current')
def entries = new File(basedir, 'target/deployed/.facsimile/deploy-log.jsonl').readLines()

assert log.contains('dev: rolling back') && log.contains(' to 1.0') : 'the rollback names the release asked for'
assert log =~ /rolling back 3\.0-\w+ -> 1\.0-\w+/ : 'from the current release straight to 1.0, past 2.0'
assert new File(current, 'etc/app.properties').text.contains('color=red') : 'current is the red 1.0 release'
assert entries.size() == 4 && entries.last().contains('"outcome":"rollback"') && entries.last().contains('"release":"1.0-')
return true
