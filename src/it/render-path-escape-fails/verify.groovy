def log = new File(basedir, 'build.log').text
assert log.contains('escaped') : 'the message quotes the destination'
assert log =~ /prod\.yaml:\d+/ : 'the message names the layer that holds the group'
assert !new File(basedir, 'escaped').exists()
assert !new File(basedir, 'target/escaped').exists()
assert !new File(basedir.parentFile, 'escaped').exists()
assert !log.contains('at io.facsimile') : 'no stack trace for a user error'
return true
