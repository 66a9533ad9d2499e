// -fae: b is rendered although a failed first, and the one failure at the end names a and c
def log = new File(basedir, 'build.log').text
assert log.contains('2 of 3 instances failed: a, c')
assert log =~ /a: .*a\.yaml:2:9: deploy\.keep must be a whole number, found the string "five"/
assert log =~ /c: .*c\.yaml:2:13: deploy\.strategy must be one of releases, sync, found the string "rolling"/
assert new File(basedir, 'target/facsimile/b').isDirectory()
assert log.contains('BUILD FAILURE')
return true
