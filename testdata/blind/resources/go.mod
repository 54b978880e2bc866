module example.com/blinda

go 1.22
