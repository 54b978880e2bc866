module deferguard.test/services

go 1.22
