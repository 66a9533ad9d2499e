cd ${HOME}
