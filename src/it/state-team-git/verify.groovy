// Two clones of one project share their state through a bare git repository on disk.
def run = { File dir, List<String> command, Map<String, String> env = [:] ->
    def builder = new ProcessBuilder(command.collect { it.toString() }).directory(dir).redirectErrorStream(true)
    builder.environment().putAll(env)
    def process = builder.start()
    def out = process.inputStream.text
    process.waitFor()
    [process.exitValue(), out]
}
def git = { File dir, String... args ->
    def (code, out) = run(dir, ['git', '-c', 'user.name=IT', '-c', 'user.email=it@example.invalid',
                                '-c', 'init.defaultBranch=main'] + (args as List))
    assert code == 0 : "git ${args.join(' ')} failed in $dir: $out"
    out
}
def mvn = { File dir, String identity, String... args ->
    def command = [System.getProperty('maven.home') + '/bin/mvn', '-B', '-o', '-s',
                   new File(basedir, '../interpolated-settings.xml').path, '-Dmaven.repo.local=' + localRepositoryPath,
                   "-Dfacsimile.stateIdentity=$identity"] + (args as List)
    run(dir, command)
}
def version = (new File(basedir, 'pom.xml').text =~ /<artifactId>facsimile-maven-plugin<\/artifactId>\s*<version>([^<]+)<\/version>/)[0][1]
def plugin = "io.facsimile:facsimile-maven-plugin:$version"
def passwordOf = { File project, String key ->
    def line = new File(project, 'target/facsimile/dev/_DEPLOY_/etc/app.properties').readLines().find { it.startsWith(key + '=') }
    line?.substring(key.length() + 1)
}

def alice = basedir
def remote = new File(basedir, 'target/remote.git')
def bob = new File(basedir, 'target/bob')
new File(alice, '.gitignore').text = 'target/\n.facsimile/\n'
git(alice.parentFile, 'init', '-q', '--bare', remote.path)
git(alice, 'init', '-q')
git(alice, 'add', '-A')
git(alice, 'commit', '-q', '-m', 'definitions and encrypted state')
git(alice, 'remote', 'add', 'origin', remote.path)
git(alice, 'push', '-q', 'origin', 'HEAD:main')
git(alice.parentFile, 'clone', '-q', '-b', 'main', remote.path, bob.path)

// bob renders with his own key and gets alice's password: nothing new is generated
def (code, out) = mvn(bob, 'bob.txt', "$plugin:render", '-Dinstance=dev')
assert code == 0 : out
assert !out.contains('Saved new generated values')
assert passwordOf(bob, 'password') == passwordOf(alice, 'password')
assert !out.contains(passwordOf(alice, 'password'))

// both add the module db at once: each generates its own password, and the merge conflicts on that one value
[alice, bob].each { clone ->
    new File(clone, 'src/main/facsimile/modules.yaml').text = '- name: app\n- name: db\n'
    def (c, o) = mvn(clone, clone == alice ? 'alice.txt' : 'bob.txt', "$plugin:render", '-Dinstance=dev')
    assert c == 0 : o
    git(clone, 'commit', '-q', '-am', 'add db')
}
assert passwordOf(alice, 'db') != passwordOf(bob, 'db')
git(alice, 'push', '-q', 'origin', 'HEAD:main')
def (pullCode, pullOut) = run(bob, ['git', '-c', 'user.name=IT', '-c', 'user.email=it@example.invalid', 'pull', '-q', '--no-rebase', 'origin', 'main'])
assert pullCode != 0 : 'the same module added on both sides conflicts'
def merged = new File(bob, 'src/main/facsimile/state/dev.json').text
def conflictLines = merged.readLines().dropWhile { !it.startsWith('<<<<<<<') }.takeWhile { !it.startsWith('>>>>>>>') }
assert conflictLines.findAll { it.contains('"') }.every { it.contains('"db"') } : "the conflict is the one value: $conflictLines"

// rendering with the markers left in is refused, naming the value and how to choose
(code, out) = mvn(bob, 'bob.txt', "$plugin:render", '-Dinstance=dev')
assert code != 0
assert out.contains('holds git conflict markers') && out.contains('disagree on db') && out.contains("keep one side's value")
assert !out.contains(passwordOf(bob, 'db'))

// bob keeps alice's side (the one already pushed): his render now gives alice's password
git(bob, 'checkout', '--theirs', 'src/main/facsimile/state/dev.json')
git(bob, 'commit', '-q', '-am', 'merge: keep the db password already pushed')
(code, out) = mvn(bob, 'bob.txt', "$plugin:render", '-Dinstance=dev')
assert code == 0 : out
assert passwordOf(bob, 'db') == passwordOf(alice, 'db')
return true
