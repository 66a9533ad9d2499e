import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def dir = new File(basedir, '.facsimile/state/dev')
def state = new JsonSlurper().parse(new File(dir, 'state.json'))
def before = new JsonSlurper().parse(new File(dir, 'state.json.bak'))

// run 2 kept the removed module's values: the backup (written by run 3) still holds them
assert before.passwd.keySet() == ['legacy', 'shop'] as Set
assert before.instances.inmap.keySet() == ['legacyd.0'] as Set
// run 3 dropped exactly those, and kept the rest unchanged
assert state.passwd.keySet() == ['shop'] as Set
assert state.passwd.shop == before.passwd.shop
assert state.instances.inmap.isEmpty()
// the dropped password is kept retired, so that diff and deploy still mask it
assert state.retired.legacy == [before.passwd.legacy]
assert log.contains('dev: pruned legacy, legacyd.0 from state dev')
return true
