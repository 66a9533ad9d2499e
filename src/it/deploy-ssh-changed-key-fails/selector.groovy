// Runs only where a real OpenSSH server is installed (CI installs openssh-server).
def sshd = new File('/usr/sbin/sshd').canExecute()
if (!sshd) {
    println "skipping ${basedir.name}: needs /usr/sbin/sshd"
}
return sshd
