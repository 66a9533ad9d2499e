def log = new File(basedir, 'build.log').text
def stateFile = new File(basedir, 'src/main/facsimile/state/dev.json')
assert log.contains('[ERROR]')
assert log.contains('Cannot open the encrypted state dev (')
assert log.contains('it is readable by age1x3f5djhdrvlxg967ne4wpnlpex4rkqphhzvlled7p745w8rd3cwqareyvs, and none of their keys is here')
assert log.contains('Nothing was written')
assert !stateFile.text.contains('age1e9vvy6qmyvs2h0ee7lynwvuhuwgpp482zlghkcmlrjj908723ess8ge05e')
assert !new File(basedir, 'src/main/facsimile/state/dev.json.bak').exists()
def password = new File(basedir, 'target/facsimile/dev/_DEPLOY_/etc/app.properties').text.trim().substring('password='.length())
assert !log.contains(password)
return true
