def log = new File(basedir, 'build.log').text
// an error of a layer every instance reads is reported once, naming the instances it affects
assert log =~ /\[ERROR\]   dev, prod\.eu1, prod\.us1: \S*facsimile\.yaml:2:\d+: deploy\.hmoe unknown key \(did you mean home\?\)/
assert log.count('deploy.hmoe unknown key') == 1 : 'reported once, not once per instance'
// an error of one instance names it
assert log =~ /\[ERROR\]   prod\.eu1: tmpl\/eu1\/b\.conf:1:\d+: undefined reference .instance\.y/
assert log.contains('2 errors in the definitions')
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
