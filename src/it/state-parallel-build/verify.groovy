import groovy.json.JsonSlurper

// one state, generated once: every module rendered the same passwords and uiids, those of the file
def state = new JsonSlurper().parse(new File(basedir, '.facsimile/state/shared/state.json'))
assert state.passwd.keySet() == ['a', 'b', 'c', 'api'] as Set
assert state.instances.inmap.size() == 4
def expected = new File(basedir, 'm1/target/facsimile/dev.m1/_DEPLOY_/secrets.txt').text
assert expected.contains("a=${state.passwd.a}")
['m2', 'm3', 'm4'].each { m ->
    assert new File(basedir, "$m/target/facsimile/dev.$m/_DEPLOY_/secrets.txt").text == expected : "$m disagrees"
}
def log = new File(basedir, 'build.log').text
assert log.contains('MultiThreadedBuilder') : 'the reactor really ran in parallel'
assert log.count('Saved new generated values in state shared') == 1 : 'the secrets were generated once, by one module'
return true
