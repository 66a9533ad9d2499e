// validate resolves both dev instances with their layers in order, and writes no state
def log = new File(basedir, 'build.log').text
assert log.contains('dev.dev0: layers facsimile, validate-layers, dev, dev0; 2 modules, 2 service instances; state dev')
assert log.contains('dev.dev4: layers facsimile, validate-layers, dev, dev4; 2 modules, 2 service instances; state dev')
assert !new File(basedir, '.facsimile').exists() : 'validate must not write state'
assert log.contains('BUILD SUCCESS')
return true
