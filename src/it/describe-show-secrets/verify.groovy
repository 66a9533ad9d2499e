// with -Dfacsimile.showSecrets, describe prints the stored password, and warns
def log = new File(basedir, 'build.log').text
assert log.contains('[WARNING] Secrets are shown (facsimile.showSecrets); do not share this output')
assert log.contains('[INFO]   shop.password = "Describe-IT-Secret-4711"')
assert log.contains('[INFO]   passwd.shop = "Describe-IT-Secret-4711"')
return true
