def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR]')
assert log.contains('qa.x9') : 'the message names the unknown instance'
assert log =~ /dev0.*dev4/ : 'the message lists the instances that exist'
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
