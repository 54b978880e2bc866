module example.com/up11

go 1.24
