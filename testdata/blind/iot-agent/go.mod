module example.com/iotagent

go 1.22
