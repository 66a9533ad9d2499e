def log = new File(basedir, 'build.log').text
assert log =~ /tmpl\/slow\/_DEPLOY_\/endless\.conf:3:\d+: still rendering after 2000 ms, the limit of one instance's templates/
assert log =~ /tmpl\/big\/_DEPLOY_\/huge\.conf:2:\d+: the output grew beyond 1000 characters/
assert !new File(basedir, 'target/facsimile/slow/_DEPLOY_/endless.conf').exists() : 'no partial output'
assert !new File(basedir, 'target/facsimile/big/_DEPLOY_/huge.conf').exists() : 'no partial output'
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
