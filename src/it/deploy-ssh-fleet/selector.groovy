// Runs only where a real OpenSSH server and private mount namespaces are available (CI installs
// openssh-server; the ITs run as root there). Elsewhere the IT is skipped, and says why.
def sshd = new File('/usr/sbin/sshd').canExecute()
def unshare = false
try {
    def p = ['unshare', '-m', 'true'].execute()
    p.waitFor()
    unshare = p.exitValue() == 0
} catch (IOException ignored) {
}
if (!sshd || !unshare) {
    println "skipping ${basedir.name}: needs /usr/sbin/sshd (${sshd}) and unshare -m (${unshare})"
}
return sshd && unshare
