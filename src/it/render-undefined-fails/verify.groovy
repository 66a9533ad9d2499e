def log = new File(basedir, 'build.log').text
assert log =~ /tmpl\/_ALL_\/_DEPLOY_\/etc\/app\.conf:2:\d+/ : 'the message names template, line and column'
assert log.contains('hots') : 'the message names the undefined reference'
assert log.contains('undefined reference $instance.db.hots (did you mean host?)') : 'the nearest key is suggested'
assert !log.contains('Prepend the reference') : 'the advice to use $! is wrong in strict mode'
assert !new File(basedir, 'target/facsimile/prod/_DEPLOY_/etc/app.conf').exists() : 'no partial output'
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
