// package renders first; a release whose outputs fail validate's checks is neither written nor packaged,
// and the build says why with the very lines validate prints
def log = new File(basedir, 'build.log').text
assert log.contains('3 problem(s) in the rendered files of prod, nothing written')
assert log.contains('prod: etc/app.json:3 (from tmpl/_ALL_/etc/app.json): not valid JSON')
assert log.contains('prod: etc/app.properties:2 (from tmpl/_ALL_/etc/app.properties): unresolved placeholder ${instance.db.url}')
assert log.contains('prod: etc/app.properties:3 (from tmpl/_ALL_/etc/app.properties): not valid properties: key "db.host" is set again (first on line 1)')
assert !new File(basedir, 'target/facsimile/prod/etc/app.json').exists() : 'nothing of the release is written'
assert !new File(basedir, 'target/render-outputs-fails-1.0-prod.tar.gz').exists() : 'nothing is packaged'
return true
