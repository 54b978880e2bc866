module deferguard.test/dumps

go 1.21
