// validate reports every broken output at once: invalid JSON, a leftover placeholder, a duplicate property
def log = new File(basedir, 'build.log').text
assert log.contains('3 errors in the definitions')
assert log.contains('prod: etc/app.json:3 (from tmpl/_ALL_/etc/app.json): not valid JSON')
assert log.contains('prod: etc/app.properties:2 (from tmpl/_ALL_/etc/app.properties): unresolved placeholder ${instance.db.url}')
assert log.contains('prod: etc/app.properties:3 (from tmpl/_ALL_/etc/app.properties): not valid properties: key "db.host" is set again (first on line 1)')
assert !log.contains('start.sh') : 'a shell variable is not a Facsimile placeholder'
assert !new File(basedir, 'target/facsimile').exists() : 'validate writes nothing'
return true
