module example.com/cirunner

go 1.21
