// a typo under a reserved key and wrong types fail validate, each with the file and line of the value
def log = new File(basedir, 'build.log').text
assert log.contains('3 errors in the definitions')
assert log =~ /prod\.yaml:2:9: deploy\.hmoe unknown key \(did you mean home\?\); allowed: canary, exclude, healthcheck, home, jump, keep, maxDelete, maxFailPercentage, nodes, onFailure, parallel, postcmd, serial, server, strategy, timeouts, user/
assert log =~ /prod\.yaml:3:9: deploy\.keep must be a whole number, found the string "five"/
assert log =~ /prod\.yaml:5:9: deploy\.nodes\.db must be a list, found the string "db1\.example\.net"/
assert log.contains('BUILD FAILURE')
return true
