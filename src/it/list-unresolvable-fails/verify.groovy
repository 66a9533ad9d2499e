// list prints the instances that resolve, then fails naming the one that does not, with file and line
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] prod      facsimile, prod  web     web1')
assert log.contains('1 instance(s) do not resolve:')
assert log =~ /qa\.yaml:2:\d+: .*app\.hots/
return true
