#!/bin/sh
#[[
for f in "${HOME}"/*.conf; do echo "$f"; done
]]#
cd $instance.app.home
