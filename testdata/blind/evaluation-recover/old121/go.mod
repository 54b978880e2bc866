module example.com/blindb121

go 1.21
