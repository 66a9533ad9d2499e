// describe, explain and list print what users read; no secret reaches the log; nothing is written
def log = new File(basedir, 'build.log').text.replace('\r\n', '\n')

// describe: each value with the layer and file:line that set it, and what it shadowed
assert log.contains('[INFO] Instance prod.eu1, state prod.eu1 (.facsimile/state/prod.eu1/state.json, in clear: whoever can read the file)')
assert log.contains('[INFO]   db.host = "db.prod.eu1.example.net"  set by prod at src/main/facsimile/prod.yaml:2\n'
        + '[INFO]     shadows "localhost"  by facsimile at src/main/facsimile/facsimile.yaml:4\n')
assert log.contains('[INFO]   app.port = 8443  set by eu1 at src/main/facsimile/eu1.yaml:2\n'
        + '[INFO]     shadows 8080  by facsimile at src/main/facsimile/facsimile.yaml:2\n')
assert log.contains('[INFO]   app.title = "Shop (prod.eu1)"  set by shop at src/main/facsimile/shop.yaml:2')
assert log.contains('[INFO]   shop.password = ****')
assert log.contains('[INFO]   passwd.shop = ****')
assert !log.contains('Describe-IT-Secret-4711') : 'the stored password must not reach the log'

// explain: value, origin, shadowed values in layer order, template lines
assert log.contains('[INFO] db.host in prod.eu1 = "db.prod.eu1.example.net"\n'
        + '[INFO]   written as "db.${instance}.example.net"\n'
        + '[INFO]   set by prod at src/main/facsimile/prod.yaml:2\n'
        + '[INFO]   shadows, in layer order:\n'
        + '[INFO]     "localhost"  by facsimile at src/main/facsimile/facsimile.yaml:4\n'
        + '[INFO]   used by templates:\n'
        + '[INFO]     src/main/facsimile/tmpl/_ALL_/etc/shop.properties:2: db.url=jdbc:postgresql://${instance.db.host}:$instance.db.port/shop\n')

// list: instances with their layers, targets and nodes
assert log.contains('[INFO] INSTANCE   LAYERS                       TARGET    NODES\n'
        + '[INFO] dev.local  facsimile, shop, dev, local  local     target/deployed\n'
        + '[INFO] prod.eu1   facsimile, shop, prod, eu1   frontend  web1.example.net, web2.example.net:2222\n'
        + '[INFO]                                         db        db1.example.net\n')

assert !new File(basedir, '.facsimile/state/dev').exists() : 'describe and list write no state'
assert new File(basedir, '.facsimile/state/prod.eu1/state.json').text.contains('Describe-IT-Secret-4711')
assert !new File(basedir, 'target/facsimile').exists() : 'nothing is rendered'
return true
