// case: secrets.canary-log
import java.nio.charset.StandardCharsets

def canary = 'cAnArY7+x/Qz9_w3Lk&m'
def forms = [
    raw   : canary,
    url   : URLEncoder.encode(canary, 'UTF-8'),
    base64: canary.getBytes(StandardCharsets.UTF_8).encodeBase64().toString().replace('=', ''),
]
def log = new File(basedir, 'build.log').text

// The canary really went through the goals: it is in the deployed file and still in the state.
assert new File(basedir, 'target/deployed/current/etc/app.properties').text.contains('password=' + canary)
assert new File(basedir, '.facsimile/state/dev/state.json').text.contains(canary) : 'the stored password was kept'
// Every goal ran with -X and reached the place where the secret could leak.
assert log.contains('[DEBUG]') : 'the goals ran with -X'
assert log.contains('raw ****') && log.contains('url ****') && log.contains('b64 ****') : 'postcmd echoed the secret, masked'
assert log.contains('+color=blue') : 'diff ran'
assert log =~ /local.*failed/ : 'the failing deploy ran'
assert log.contains('no_such_key') : 'the template error was reported'
assert log.contains('corrupt') && log.contains('state.json') : 'the corrupt state was reported'
assert new File(basedir, 'target').listFiles().any { it.name.endsWith('-dev.tar.gz') } : 'package ran'

forms.each { name, form ->
    int count = log.count(form)
    assert count == 0 : "the canary appears ${count} times in build.log ($name form: $form)"
}

// the sealed bundle package wrote holds it in no form either
def bundle = new File(basedir, 'target').listFiles().find { it.name.endsWith('-dev.tar.gz') }
def archived = new String(new java.util.zip.GZIPInputStream(new FileInputStream(bundle)).bytes, 'ISO-8859-1')
assert archived.contains('********') : 'the bundle holds the sealed rendering'
forms.each { name, form ->
    assert !archived.contains(form) : "the canary is in the bundle ($name form: $form)"
}
return true
