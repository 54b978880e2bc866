module deferguard.dev/tools/gohelper

go 1.22
