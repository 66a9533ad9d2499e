// case: deploy.rollback-to
def log = new File(basedir, 'build.log').text
def current = new File(basedir, 'target/deployed/current')

assert log =~ /\[ERROR\].*no release 1\.5 on local to roll back to: .*releases holds \[1\.0-\w+\]/ : 'refused, listing the releases on the node'
assert log.contains('facsimile:history') : 'the way to find a release is named'
assert new File(current, 'etc/app.properties').text.contains('color=red') : 'current stays on 1.0'
assert new File(basedir, 'target/deployed/.facsimile/deploy-log.jsonl').readLines().size() == 1 : 'nothing recorded'
return true
