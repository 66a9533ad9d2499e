def log = new File(basedir, 'build.log').text
// the second build finds every input unchanged and skips the instance without reading a template
assert log.contains('dev: release dir up to date, nothing rewritten (no input changed)')
// the first made the state directory, so it recorded nothing; the second recorded that it found every instance up
// to date, and the third took that record's answer, asking GNU find once whether anything changed since, without
// listing the definitions or reading a stamp; so did the fifth after the fourth, which rendered the property the
// template reads, and the sixth, whose new property nothing reads
assert new File(basedir, 'target/facsimile/.unchanged-run').isFile()
assert log.count('dev: 1 written, 1 unchanged') == 1 // the fourth: a.txt again, the state file kept
assert log.count('dev: neither resolved nor listed again: find saw nothing change in the definitions') == 3
assert !log.contains('dev: not resolved again')
assert new File(basedir, 'target/facsimile/dev/_DEPLOY_/a.txt').text == 'a=11\n'
// the stamp lives beside the release dir, never in it, so neither bundles nor deploys carry it
assert new File(basedir, 'target/facsimile/.dev.stamp').isFile()
assert !new File(basedir, 'target/facsimile/dev/.dev.stamp').exists()
// the stamp is a properties file (read without a JSON parser in every fresh mvn)
def stamp = new Properties()
new File(basedir, 'target/facsimile/.dev.stamp').withReader('UTF-8') { stamp.load(it) }
assert stamp.getProperty('version') == '9' && stamp.getProperty('outputs') ==~ /[0-9a-f]{16}/
// the plugin's installed pom, which Maven reads to set up the plugin's realm in every build, names no parent
// and no dependency: the jar carries its libraries
def poms = []
new File(localRepositoryPath, 'io/facsimile/facsimile-maven-plugin').eachFileRecurse {
    if (it.name.endsWith('.pom')) poms << it
}
assert poms.size() == 1 : poms
def pom = poms[0]
def project = new groovy.xml.XmlSlurper().parse(pom)
assert project.parent.size() == 0 : 'parent in ' + pom
assert project.dependencies.size() == 0 : 'dependencies in ' + pom
assert project.prerequisites.maven.text() == '3.8.1'
return true
