module example.com/objstore

go 1.22
