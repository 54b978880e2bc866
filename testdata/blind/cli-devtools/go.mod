module example.com/clidevtools

go 1.22
