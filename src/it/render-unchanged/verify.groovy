def log = new File(basedir, 'build.log').text
assert log.contains('dev: release dir up to date, nothing rewritten')
assert new File(basedir, 'target/facsimile/dev/_DEPLOY_/a.txt').text == 'a=1\n'
return true
