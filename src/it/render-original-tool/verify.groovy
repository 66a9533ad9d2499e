def log = new File(basedir, 'build.log').text
def deploy = new File(basedir, 'target/facsimile/prod/_DEPLOY_')
assert new File(deploy, 'etc/app.conf').text == 'name=shop\n'
// skip: '^\.' leaves out the .svn directory, not only file names starting with a dot
assert !new File(deploy, 'etc/.svn').exists()
// $SRC_DIR$ in a copy group's pattern is the project directory: the jar lands at lib/app.jar,
// not below the build machine's absolute path
assert new File(deploy, 'lib/app.jar').text == 'jar\n'
def files = []
deploy.eachFileRecurse { if (it.isFile()) files << deploy.toPath().relativize(it.toPath()).toString() }
assert files.sort() == ['etc/app.conf', 'etc/render-original-tool.version', 'lib/app.jar'] : "files: $files"
// render_files, accepted and ignored by the original tool, is accepted with a deprecation warning
assert log =~ /\[WARNING\] \S*src\/main\/facsimile\/prod.yaml:3:3: install.groups\[0\]: render_files is deprecated/
assert log.contains('install.groups[0]: render_files is deprecated and ignored')
return true
