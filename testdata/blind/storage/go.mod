module example.com/storage

go 1.22
