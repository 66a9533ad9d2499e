def log = new File(basedir, 'build.log').text
assert log =~ /prod\.yaml:\d+:\d+/ : 'the message names the file, line and column'
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
