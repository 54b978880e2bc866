module example.com/testsuites

go 1.22
