def log = new File(basedir, 'build.log').text
def state = new File(basedir, '.facsimile/state/dev/state.json')
assert log.contains('state.json') : 'the message names the state file'
assert state.text == '{"passwd": {"web": "abc"' : 'a corrupt state file is left byte-identical'
assert !log.contains('abc') : 'no secret in the log'
return true
