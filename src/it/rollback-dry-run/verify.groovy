// case: deploy.rollback-checked
def log = new File(basedir, 'build.log').text
def current = new File(basedir, 'target/deployed/current')

assert log =~ /dry run: would roll back 1\.0-\w+ -> 1\.0-\w+/ : 'the dry run names from and to'
def logLines = new File(basedir, 'target/deployed/.facsimile/deploy-log.jsonl').readLines()
assert logLines.size() == 3 : "two deploys and one real rollback, the dry run records nothing: $logLines"
assert logLines.last().contains('"outcome":"rollback"')
assert new File(current, 'etc/app.properties').text.contains('color=red') : 'the real rollback went back to red'
return true
