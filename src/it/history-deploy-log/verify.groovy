def log = new File(basedir, 'build.log').text
def entries = new File(basedir, 'target/deployed/.facsimile/deploy-log.jsonl').readLines()
def red = (entries[0] =~ /"release":"([^"]+)"/)[0][1]
def blue = (entries[1] =~ /"release":"([^"]+)"/)[0][1]

assert log =~ /local \(.*target.deployed\): 2 entries, current ${red}/ : 'the heading names the node and its current release'
assert log =~ /time\s+who\s+release\s+outcome\s+seconds/ : 'the table has its columns'
assert log =~ /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+\S+\s+${red}\s+ok\s+\d+\.\d/ : 'the good deploy: time, who, release, ok, seconds'
assert log =~ /\S+\s+${blue}\s+failed\s+\d+\.\d/ : 'the failed deploy, newest last'
assert log =~ /2 entries, the last 1 shown, current ${red}/ : '-Dfacsimile.limit=1 shows the newest only'
assert entries.size() == 2 : 'history writes nothing to the log'
return true
