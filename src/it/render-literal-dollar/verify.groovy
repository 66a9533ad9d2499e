// a literal $ in systemd units and shell scripts: \${VAR} and \$VAR, or a #[[ ... ]]# block, are kept as written
def out = new File(basedir, 'target/facsimile/prod/_DEPLOY_')
assert new File(out, 'etc/systemd/app.service').text == '''[Service]
Environment=APP_HOME=/srv/app
ExecStart=/bin/sh -c 'exec java -jar ${APP_HOME}/app.jar --user $USER'
'''
assert new File(out, 'bin/start.sh').text == '''#!/bin/sh

for f in "${HOME}"/*.conf; do echo "$f"; done

cd /srv/app
'''
return true
