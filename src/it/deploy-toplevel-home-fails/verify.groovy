def log = new File(basedir, 'build.log').text
assert log =~ /deploy\.home is required for a local deploy; the top-level home: \/srv\/shop \(\S*src\/main\/facsimile\/prod\.yaml:1:7\)/ : 'the error points at the top-level home'
assert log.contains('move it under deploy:')
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
