module example.com/streamproc

go 1.24
